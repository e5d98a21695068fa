import type { ScaleToZeroPolicy } from '@nucleon/core';

/** One scrape of a function's processor: each policy metric's value, and the events in flight. */
export interface MetricSample {
  at: number;
  values: Record<string, number>;
  inFlight: number;
}

/**
 * Decides when a running function is idle, from its processor's own counters: every
 * `scaleResources` metric grew by at most its `threshold` over its window, and no event is in
 * flight now. It needs samples spanning the whole window first, so a function just started (or
 * a scaler just started) is never idle before one full window has been watched. A counter that
 * went down (the processor restarted) starts the watch again.
 */
export class IdleDetector {
  private samples: MetricSample[] = [];

  constructor(private readonly policy: ScaleToZeroPolicy) {}

  observe(sample: MetricSample): void {
    const last = this.samples.at(-1);
    if (last && Object.entries(sample.values).some(([name, value]) => value < (last.values[name] ?? 0))) this.samples = [];
    this.samples.push(sample);
    // Keep one sample at or before the longest window's start, and everything after it.
    const horizon = sample.at - this.policy.windowMs;
    let firstKept = 0;
    while (firstKept + 1 < this.samples.length && this.samples[firstKept + 1]!.at <= horizon) firstKept += 1;
    if (firstKept > 0) this.samples = this.samples.slice(firstKept);
  }

  /** Forget what was seen (the function was redeployed, scaled by hand, or woken). */
  reset(): void {
    this.samples = [];
  }

  isIdle(): boolean {
    const now = this.samples.at(-1);
    if (!now || now.inFlight > 0) return false;
    return this.policy.resources.every((resource) => {
      const start = this.sampleAtOrBefore(now.at - resource.windowMs);
      if (!start) return false;
      const current = now.values[resource.metricName];
      // A metric the processor does not export cannot show activity: its growth is read as 0.
      const growth = (current ?? 0) - (start.values[resource.metricName] ?? 0);
      return growth <= resource.threshold;
    });
  }

  /** How much of the window has been watched, for status output. */
  watchedMs(): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    return first && last ? last.at - first.at : 0;
  }

  private sampleAtOrBefore(at: number): MetricSample | undefined {
    let found: MetricSample | undefined;
    for (const sample of this.samples) {
      if (sample.at > at) break;
      found = sample;
    }
    return found;
  }
}
