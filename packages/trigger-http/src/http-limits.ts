import { createError, ErrorCodes, formatProblems, parseDuration, type ConfigProblem } from '@nucleon/core';

/** The resolved bounds of one HTTP trigger, read once from its validated attributes. */
export interface HttpLimits {
  maxBody: number;
  maxConnections: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  bodyIdleTimeoutMs: number;
  /** 0 = no bound. */
  maxBufferedRequestBytes: number;
  /** 0 = no bound. */
  maxPendingResponseBytes: number;
  responseIdleTimeoutMs: number;
}

const DURATIONS = ['headersTimeout', 'requestTimeout', 'bodyIdleTimeout', 'responseIdleTimeout'] as const;

/**
 * Reads the trigger's bounds (`numWorkers` sizes the default request-body budget); every duration must be positive (a bound that can be switched
 * off by `0s` is an easy mistake to ship) and headers must be due before the whole request.
 * Throws NUCLEON_ERR_INVALID_CONFIG listing every problem with its path.
 */
export function readHttpLimits(triggerName: string, attrs: Record<string, unknown>, numWorkers = 1): HttpLimits {
  const problems: ConfigProblem[] = [];
  const at = (key: string): string => `spec.triggers.${triggerName}.attributes.${key}`;
  const ms: Record<string, number> = {};
  for (const key of DURATIONS) {
    const value = parseDuration(String(attrs[key]));
    if (value === undefined || value <= 0) {
      problems.push({ path: at(key), message: `is not a positive duration (like "10s" or "500ms"): ${JSON.stringify(attrs[key])}` });
    } else ms[key] = value;
  }
  const headersTimeoutMs = ms.headersTimeout ?? 0;
  const requestTimeoutMs = ms.requestTimeout ?? 0;
  if (headersTimeoutMs > 0 && requestTimeoutMs > 0 && headersTimeoutMs > requestTimeoutMs) {
    problems.push({ path: at('headersTimeout'), message: `must not be longer than requestTimeout (${String(attrs.requestTimeout)})` });
  }
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid configuration for trigger ${triggerName}:\n${formatProblems(problems)}`,
      { details: { problems } });
  }
  return {
    maxBody: attrs.maxRequestBodySize as number,
    maxConnections: attrs.maxConnections as number,
    headersTimeoutMs,
    requestTimeoutMs,
    bodyIdleTimeoutMs: ms.bodyIdleTimeout as number,
    // A largest body for every worker and one more waiting for a worker.
    maxBufferedRequestBytes: (attrs.maxBufferedRequestBytes as number | undefined) ?? (Math.max(1, numWorkers) + 1) * (attrs.maxRequestBodySize as number),
    maxPendingResponseBytes: attrs.maxPendingResponseBytes as number,
    responseIdleTimeoutMs: ms.responseIdleTimeout as number,
  };
}
