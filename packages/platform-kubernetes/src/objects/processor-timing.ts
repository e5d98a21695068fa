import type { FunctionConfig } from '@nucleon/core';

/** The processor's own default drain deadline (NUCLEON_DRAIN_TIMEOUT_MS). */
const DEFAULT_DRAIN_MS = 10_000;
/** After its drain deadline the processor allows itself this long to close, then exits (processor main.ts). */
const PROCESSOR_HARD_STOP_MS = 2_000;
/** Slack between the processor's own hard stop and the kubelet's SIGKILL. */
const KILL_SLACK_MS = 3_000;

/**
 * How long the processor drains on SIGTERM: long enough for an event that started just before
 * to finish (its eventTimeout), never shorter than the processor's own default.
 */
export function drainTimeoutMs(config: FunctionConfig): number {
  return Math.max(DEFAULT_DRAIN_MS, config.spec.eventTimeoutMs);
}

/** The pod's terminationGracePeriodSeconds: the drain, the processor's hard stop, then slack, so the kubelet never kills a draining processor. */
export function terminationGracePeriodSeconds(config: FunctionConfig): number {
  return Math.ceil((drainTimeoutMs(config) + PROCESSOR_HARD_STOP_MS + KILL_SLACK_MS) / 1000);
}
