import type { FunctionConfig } from '@nucleon/core';

/**
 * Everything `get`/`list` need lives on the container as labels, so a restarted CLI (a fresh
 * Platform instance) can rebuild a FunctionStatus with no state file of its own.
 */
export const LABELS = {
  function: 'io.nucleon.function',
  runtime: 'io.nucleon.runtime',
  handler: 'io.nucleon.handler',
  httpPort: 'io.nucleon.http-port',
  adminPort: 'io.nucleon.admin-port',
  createdAt: 'io.nucleon.created-at',
  image: 'io.nucleon.image',
  config: 'io.nucleon.config',
  hasHttpTrigger: 'io.nucleon.has-http-trigger',
  /** A candidate container (`.next`) left by a dead CLI may be removed after this time. */
  staleAfter: 'io.nucleon.stale-after',
  /**
   * The restart policy the container was created with. Scaling to zero sets the policy to `no`
   * (`docker update`), and waking restores this one; labels cannot change, so it is kept here.
   */
  restartPolicy: 'io.nucleon.restart-policy',
} as const;

/** What the labels say about a deployed function. */
export interface FunctionLabels {
  name: string;
  runtime: string;
  handler: string;
  httpPort: number;
  adminPort: number;
  createdAt: string;
  image: string;
  hasHttpTrigger: boolean;
  config?: FunctionConfig;
  /** Absent on containers made before the label existed. */
  restartPolicy?: string;
}

/** The labels a function container is created with. */
export function labelsFor(info: Omit<FunctionLabels, 'config'> & { config: FunctionConfig; staleAfter: string }): Record<string, string> {
  return {
    [LABELS.function]: info.name,
    [LABELS.runtime]: info.runtime,
    [LABELS.handler]: info.handler,
    [LABELS.httpPort]: String(info.httpPort),
    [LABELS.adminPort]: String(info.adminPort),
    [LABELS.createdAt]: info.createdAt,
    [LABELS.image]: info.image,
    [LABELS.hasHttpTrigger]: String(info.hasHttpTrigger),
    [LABELS.config]: JSON.stringify(info.config),
    [LABELS.staleAfter]: info.staleAfter,
    ...(info.restartPolicy === undefined ? {} : { [LABELS.restartPolicy]: info.restartPolicy }),
  };
}

/** Reads the labels back; undefined when the container is not a Nucleon function. */
export function readLabels(labels: Record<string, string> | undefined | null): FunctionLabels | undefined {
  const name = labels?.[LABELS.function];
  if (!labels || !name) return undefined;
  let config: FunctionConfig | undefined;
  try {
    config = JSON.parse(labels[LABELS.config] ?? '') as FunctionConfig;
  } catch {
    // A hand-edited or truncated label: the status is still useful without it.
  }
  return {
    name,
    runtime: labels[LABELS.runtime] ?? '',
    handler: labels[LABELS.handler] ?? '',
    httpPort: Number(labels[LABELS.httpPort] ?? 0),
    adminPort: Number(labels[LABELS.adminPort] ?? 0),
    createdAt: labels[LABELS.createdAt] ?? '',
    image: labels[LABELS.image] ?? '',
    hasHttpTrigger: labels[LABELS.hasHttpTrigger] !== 'false',
    ...(config ? { config } : {}),
    ...(labels[LABELS.restartPolicy] ? { restartPolicy: labels[LABELS.restartPolicy] } : {}),
  };
}
