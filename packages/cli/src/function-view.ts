import type { FunctionConfig, FunctionStatus, Platform } from '@nucleon/core';
import { stringify } from 'yaml';
import { stateText, table, urlsOf } from './output.js';

/** A deployed function as nuctl shows it: its configuration, with the platform's status under `status`. */
export interface FunctionView {
  apiVersion: string;
  kind: string;
  metadata: Record<string, unknown>;
  spec: Record<string, unknown>;
  status: Record<string, unknown>;
}

/**
 * The configuration as written back out: without what validation derives (`eventTimeoutMs`),
 * so `export` output deploys again as is.
 */
export function exportedConfig(config: FunctionConfig): Omit<FunctionView, 'status'> {
  const spec: Record<string, unknown> = { ...config.spec };
  delete spec.eventTimeoutMs;
  return { apiVersion: config.apiVersion, kind: config.kind, metadata: { ...config.metadata }, spec };
}

/** The status part: state, url, httpPort, message, addresses, restarts, then the platform's details. */
export function statusFields(status: FunctionStatus): Record<string, unknown> {
  const fields: Record<string, unknown> = { state: status.state, platform: status.platform };
  if (status.url !== undefined) fields.url = status.url;
  if (status.httpPort !== undefined) fields.httpPort = status.httpPort;
  if (status.message !== undefined) fields.message = status.message;
  if (status.addresses !== undefined) fields.addresses = status.addresses;
  if (status.restarts !== undefined) fields.restarts = status.restarts;
  fields.createdAt = status.createdAt;
  if (status.details) fields.details = status.details;
  return fields;
}

/**
 * The configuration a function was deployed with. A platform that keeps none (no
 * `getConfig`) still yields the parts its status knows: name, runtime, handler.
 */
export async function deployedConfig(platform: Platform, status: FunctionStatus): Promise<Omit<FunctionView, 'status'>> {
  const config = await platform.getConfig?.(status.name);
  if (config) return exportedConfig(config);
  return { apiVersion: 'nuclio.io/v1', kind: 'NuclioFunction', metadata: { name: status.name }, spec: { runtime: status.runtime, handler: status.handler } };
}

/** Joins a status with the deployed configuration. */
export async function functionView(platform: Platform, status: FunctionStatus): Promise<FunctionView> {
  return { ...(await deployedConfig(platform, status)), status: statusFields(status) };
}

/**
 * `get -o wide`: the plain table's columns, with every URL (comma-separated), plus handler,
 * replicas, triggers, creation time and restarts (`-` where the platform does not count them).
 */
export function wideTable(views: readonly FunctionView[]): string {
  const rows = views.map((v) => {
    const spec = v.spec as Partial<FunctionConfig['spec']>;
    const triggers = Object.entries(spec.triggers ?? {}).map(([name, t]) => `${name}(${t.kind})`).join(',') || 'default-http(http)';
    const replicas = spec.replicas ?? (spec.minReplicas !== undefined || spec.maxReplicas !== undefined
      ? `${spec.minReplicas ?? 1}-${spec.maxReplicas ?? spec.minReplicas ?? 1}` : 1);
    const urls = urlsOf(v.status as Pick<FunctionStatus, 'url' | 'addresses'>);
    return [String(v.metadata.name), stateText(v.status.state as FunctionStatus['state']), urls.join(',') || '-', String(spec.runtime), String(spec.handler),
      String(replicas), triggers, String(v.status.createdAt), String(v.status.restarts ?? '-')];
  });
  return table([['NAME', 'STATE', 'URL', 'RUNTIME', 'HANDLER', 'REPLICAS', 'TRIGGERS', 'CREATED', 'RESTARTS'], ...rows]);
}

/** YAML for one view, or one YAML document per view (as nuctl renders each function). */
export function viewsYaml(views: readonly unknown[]): string {
  return views.map((v) => stringify(v)).join('---\n');
}
