import type { FunctionConfig, FunctionStatus } from '@nucleon/core';
import type { DeployRecord } from './deploy-tracker.js';
import { readSourceFolder } from './source-folder.js';
import type { RouteDeps } from './route-deps.js';

/** A function as the API shows it (Nuclio's shape). */
export interface FunctionView {
  metadata: { name: string; labels: Record<string, string> };
  spec: Record<string, unknown>;
  status: {
    state: string;
    url?: string;
    httpPort?: number;
    message?: string;
    deploy?: { state: DeployRecord['state']; startedAt: string; error?: string };
  };
}

/** Builds the view from the platform's status, the held source and the deploy record; undefined when none exists. */
export async function functionView(deps: RouteDeps, name: string, known?: FunctionStatus): Promise<FunctionView | undefined> {
  const status = known ?? await deps.platform.get(name);
  const held = await readSourceFolder(deps.stateDir, name);
  const record = deps.tracker.get(name);
  if (!status && !held && !record) return undefined;
  let config: FunctionConfig | undefined = held?.config;
  if (!config && deps.platform.getConfig) config = await deps.platform.getConfig(name).catch(() => undefined);
  const spec: Record<string, unknown> = { ...(config?.spec ?? { runtime: status?.runtime, handler: status?.handler }) };
  if (held?.source !== undefined) {
    spec.build = { ...(spec.build as object | undefined), functionSourceCode: Buffer.from(held.source).toString('base64') };
  }
  const state = status?.state ?? (record?.state === 'running' ? 'deploying' : record?.state === 'failed' ? 'error' : 'unknown');
  return {
    metadata: { name, labels: { ...(config?.metadata.labels ?? {}) } },
    spec,
    status: {
      state,
      url: status?.url,
      httpPort: status?.httpPort,
      message: status?.message,
      deploy: record && { state: record.state, startedAt: record.startedAt, error: record.error },
    },
  };
}
