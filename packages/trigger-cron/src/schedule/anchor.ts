import { scaleToZeroPolicy, type FunctionConfig } from '@nucleon/core';

/**
 * Where a trigger's interval ticks are counted from. Normally its start, as Nuclio's `@every`.
 * A function that scales to zero is stopped and started by the scaler, and a start-anchored
 * period would begin again at every wake, so it would have to stay up a whole period to
 * tick once; its ticks are counted from the Unix epoch instead, so they stay put across stops
 * and the backlog probe can tell the scaler when the next one is due.
 */
export function intervalAnchor(fn: FunctionConfig | undefined, startMs: number): number {
  return fn?.spec !== undefined && scaleToZeroPolicy(fn) !== undefined ? 0 : startMs;
}
