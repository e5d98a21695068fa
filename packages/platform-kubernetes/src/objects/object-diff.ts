import { sameQuantity } from './quantity.js';

/** Keys whose values are maps of resource quantities (container resources, ResourceQuota-like). */
const QUANTITY_MAPS = new Set(['limits', 'requests']);
/** Keys whose value is itself one quantity (emptyDir.sizeLimit). */
const QUANTITY_KEYS = new Set(['sizeLimit']);
/**
 * Keys whose values are maps (Go maps with omitempty: the server drops an empty one). Any other
 * empty object is a struct that means something when present (`emptyDir: {}`), so it counts.
 */
const MAP_KEYS = new Set(['labels', 'annotations', 'data', 'binaryData', 'nodeSelector', 'matchLabels', 'selector', 'limits', 'requests']);

/**
 * True when `actual` (an object as the API server returns it) does not have every field that
 * `desired` sets, with the same value. Only fields set in `desired` count, so what the server
 * fills in (defaults such as `protocol: TCP`, `terminationMessagePath`, `revisionHistoryLimit`,
 * status, managedFields) never causes an update. Objects are compared key by key, arrays
 * element by element and length too (a removed env variable is a change); resource quantities
 * by value (`1000m` = `1`); an empty list, an empty map-typed field (labels, nodeSelector, ...),
 * `false`, `0` or `""` in desired match a missing field (the server omits empty values).
 */
export function differs(desired: unknown, actual: unknown): boolean {
  return differsAt(desired, actual, undefined);
}

function differsAt(desired: unknown, actual: unknown, key: string | undefined, inQuantityMap = false): boolean {
  if (desired === undefined) return false;
  if (actual === undefined || actual === null) return !isEmpty(desired, key);
  if (Array.isArray(desired)) {
    if (!Array.isArray(actual) || actual.length !== desired.length) return true;
    return desired.some((item, i) => differsAt(item, actual[i], key));
  }
  if (isObject(desired)) {
    if (!isObject(actual)) return true;
    const quantities = key !== undefined && QUANTITY_MAPS.has(key);
    return Object.entries(desired).some(([k, v]) => differsAt(v, actual[k], k, quantities));
  }
  if (desired instanceof Date || actual instanceof Date) return new Date(desired as string).getTime() !== new Date(actual as string).getTime();
  if ((inQuantityMap || (key !== undefined && QUANTITY_KEYS.has(key))) && isScalarQuantity(desired) && isScalarQuantity(actual)) {
    return !sameQuantity(desired, actual);
  }
  return desired !== actual;
}

/** What the server leaves out when empty: empty lists, empty maps, and Go's zero scalars. */
function isEmpty(value: unknown, key: string | undefined): boolean {
  if (Array.isArray(value)) return value.length === 0;
  if (isObject(value)) return key !== undefined && MAP_KEYS.has(key) && Object.values(value).every((v) => v === undefined);
  return value === false || value === 0 || value === '' || value === null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);
}

function isScalarQuantity(value: unknown): value is string | number {
  return typeof value === 'string' || typeof value === 'number';
}
