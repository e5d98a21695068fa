import type { NuclioFunctionStatus } from '../objects/resource.js';

/**
 * `next` with each condition's `lastTransitionTime` taken from `previous` when the
 * condition's status did not change: a transition time says when it last flipped, and
 * stamping a new one on every reconcile would turn each no-op resync into a status write.
 */
export function keepTransitionTimes(previous: NuclioFunctionStatus | undefined, next: NuclioFunctionStatus): NuclioFunctionStatus {
  if (!next.conditions || !previous?.conditions) return next;
  const conditions = next.conditions.map((condition) => {
    const before = previous.conditions!.find((c) => c.type === condition.type);
    return before && before.status === condition.status && before.lastTransitionTime
      ? { ...condition, lastTransitionTime: before.lastTransitionTime }
      : condition;
  });
  return { ...next, conditions };
}

/** Whether two statuses say the same thing (key order and undefined fields ignored). */
export function sameStatus(a: NuclioFunctionStatus | undefined, b: NuclioFunctionStatus | undefined): boolean {
  return canonical(a ?? {}) === canonical(b ?? {});
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([x], [y]) => x.localeCompare(y)));
  });
}
