// STAND-IN for Helper B's module of the same name: desired fields only, so server defaults
// never count as a difference; replaced by B's file at merge.
export function differs(desired: unknown, actual: unknown): boolean {
  if (desired === undefined) return false;
  if (desired === null || typeof desired !== 'object') return String(desired) !== String(actual);
  if (Array.isArray(desired)) {
    return !Array.isArray(actual) || actual.length !== desired.length || desired.some((d, i) => differs(d, actual[i]));
  }
  if (actual === null || typeof actual !== 'object') return true;
  return Object.entries(desired as Record<string, unknown>).some(([k, v]) => differs(v, (actual as Record<string, unknown>)[k]));
}
