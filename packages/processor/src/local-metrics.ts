/**
 * Counters and histograms kept as plain numbers on the event path and turned into
 * Prometheus samples only when /metrics is scraped. prom-client's own metric objects hash
 * their labels on every update, which measured at ~10% of a hello request's CPU.
 * `get()` returns the shape prom-client's Registry renders, so they register like its own.
 */

interface Sample {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

interface MetricSnapshot {
  name: string;
  help: string;
  type: 'counter' | 'histogram' | 'gauge';
  values: Sample[];
  aggregator: 'sum';
}

/** A counter for one fixed label set. */
export class LocalCounter {
  value = 0;
  constructor(readonly labels: Record<string, string>) {}
}

/** Counters sharing a name, one per label set. */
export class LocalCounterFamily {
  private readonly counters: LocalCounter[] = [];
  constructor(readonly name: string, readonly help: string) {}

  child(labels: Record<string, string>): LocalCounter {
    const counter = new LocalCounter(labels);
    this.counters.push(counter);
    return counter;
  }

  get(): MetricSnapshot {
    return { name: this.name, help: this.help, type: 'counter', aggregator: 'sum',
      values: this.counters.map((c) => ({ labels: c.labels, value: c.value })) };
  }
}

/** A histogram for one fixed label set: per-bucket counts, sum and count. */
export class LocalHistogram {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly labels: Record<string, string>, private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length);
  }

  observe(value: number): void {
    this.sum += value;
    this.count += 1;
    const bounds = this.bounds;
    for (let i = 0; i < bounds.length; i += 1) {
      if (value <= (bounds[i] as number)) {
        this.counts[i] = (this.counts[i] as number) + 1;
        return;
      }
    }
  }
}

/** Histograms sharing a name and buckets, one per label set. */
export class LocalHistogramFamily {
  private readonly histograms: LocalHistogram[] = [];
  constructor(readonly name: string, readonly help: string, private readonly bounds: readonly number[]) {}

  child(labels: Record<string, string>): LocalHistogram {
    const histogram = new LocalHistogram(labels, this.bounds);
    this.histograms.push(histogram);
    return histogram;
  }

  get(): MetricSnapshot {
    const values: Sample[] = [];
    for (const h of this.histograms) {
      let cumulative = 0;
      this.bounds.forEach((le, i) => {
        cumulative += h.counts[i] as number;
        values.push({ metricName: `${this.name}_bucket`, labels: { ...h.labels, le }, value: cumulative });
      });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...h.labels, le: '+Inf' }, value: h.count });
      values.push({ metricName: `${this.name}_sum`, labels: h.labels, value: h.sum });
      values.push({ metricName: `${this.name}_count`, labels: h.labels, value: h.count });
    }
    return { name: this.name, help: this.help, type: 'histogram', aggregator: 'sum', values };
  }
}

/** A gauge read from callbacks at scrape time. */
export class LocalGauge {
  private readonly readers: Array<{ labels: Record<string, string>; read: () => number }> = [];
  constructor(readonly name: string, readonly help: string) {}

  track(labels: Record<string, string>, read: () => number): void {
    this.readers.push({ labels, read });
  }

  get(): MetricSnapshot {
    return { name: this.name, help: this.help, type: 'gauge', aggregator: 'sum',
      values: this.readers.map((r) => ({ labels: r.labels, value: r.read() })) };
  }
}
