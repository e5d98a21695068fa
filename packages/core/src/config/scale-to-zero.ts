import type { FunctionConfig } from './types.js';
import { parseDuration } from './duration.js';

/** The counter every processor exports on its admin server's `/metrics`: events handled, by trigger and result. */
export const EVENTS_METRIC = 'nucleon_events_total';
/** Nuclio's names for the same counter, accepted as `metricName` so a Nuclio function scales unchanged. */
const NUCLIO_EVENT_METRICS = new Set(['nuclio_processor_handled_events', 'nuclio_processor_handled_events_total', 'nuclio_processor_events_total']);
/** A function with `minReplicas: 0` and no `scaleResources` idles out after this long without an event. */
export const DEFAULT_SCALE_WINDOW = '5m';

/**
 * Set to `1` by a platform in a scale-to-zero function's processor environment: its HTTP trigger
 * binds with SO_REUSEPORT, so it can take its port over from the scaler's activator, and hand it
 * back, without a moment in which connections are refused (see `docs/scaler.md`).
 */
export const HTTP_REUSE_PORT_ENV = 'NUCLEON_HTTP_REUSE_PORT';

/** One of `spec.scaleToZero.scaleResources`: idle when `metricName` grew by at most `threshold` over `windowMs`. */
export interface ScaleResource {
  metricName: string;
  windowSize: string;
  windowMs: number;
  threshold: number;
}

/** What the scaler acts on for one function. */
export interface ScaleToZeroPolicy {
  resources: ScaleResource[];
  /** The longest window: the function must have been up this long before it can be idle. */
  windowMs: number;
}

/**
 * The scale-to-zero policy of a validated config, or undefined when the function does not
 * scale to zero. Nuclio's rule: `spec.minReplicas: 0` turns it on; `spec.scaleToZero.scaleResources`
 * says when (default: no event for {@link DEFAULT_SCALE_WINDOW}).
 */
export function scaleToZeroPolicy(config: FunctionConfig): ScaleToZeroPolicy | undefined {
  if (config.spec.minReplicas !== 0) return undefined;
  const given = config.spec.scaleToZero?.scaleResources ?? [];
  const raw = given.length > 0 ? given : [{ metricName: EVENTS_METRIC, windowSize: DEFAULT_SCALE_WINDOW, threshold: 0 }];
  const resources = raw.map((r): ScaleResource => {
    const windowSize = r.windowSize ?? DEFAULT_SCALE_WINDOW;
    return { metricName: metricNameOf(r.metricName), windowSize, windowMs: parseDuration(windowSize) ?? 0, threshold: r.threshold ?? 0 };
  });
  return { resources, windowMs: Math.max(...resources.map((r) => r.windowMs)) };
}

/** Nuclio's event-counter names are the processor's `nucleon_events_total`; any other name is read as given. */
function metricNameOf(name: string | undefined): string {
  return name === undefined || name === '' || NUCLIO_EVENT_METRICS.has(name) ? EVENTS_METRIC : name;
}
