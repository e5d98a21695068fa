import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export type EventResult = 'success' | 'error' | 'timeout' | 'rejected';

/** Per-trigger metric handles, bound to their labels once so the hot path does no lookups. */
export interface TriggerMetrics {
  handled(result: EventResult, durationSeconds: number): void;
  waited(seconds: number): void;
}

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** The processor's Prometheus registry (prom-client), served on the admin port's /metrics. */
export class ProcessorMetrics {
  readonly registry = new Registry();
  private readonly events: Counter<'trigger' | 'result'>;
  private readonly duration: Histogram<'trigger'>;
  private readonly wait: Histogram<'trigger'>;
  private readonly inFlightReaders = new Map<string, () => number>();

  constructor(functionName: string) {
    this.registry.setDefaultLabels({ function: functionName });
    collectDefaultMetrics({ register: this.registry, prefix: 'nucleon_process_' });
    this.events = new Counter({
      name: 'nucleon_events_total', help: 'Events handled, by trigger and result (success, error, timeout, rejected)',
      labelNames: ['trigger', 'result'], registers: [this.registry],
    });
    this.duration = new Histogram({
      name: 'nucleon_event_duration_seconds', help: 'Time from a worker taking an event to its result',
      labelNames: ['trigger'], buckets: DURATION_BUCKETS, registers: [this.registry],
    });
    this.wait = new Histogram({
      name: 'nucleon_worker_wait_seconds', help: 'Time an event waited for a free worker',
      labelNames: ['trigger'], buckets: DURATION_BUCKETS, registers: [this.registry],
    });
    const readers = this.inFlightReaders;
    new Gauge({
      name: 'nucleon_events_in_flight', help: 'Events being handled right now',
      labelNames: ['trigger'], registers: [this.registry],
      // Read at scrape time, so counting in-flight events costs nothing per event.
      collect() {
        for (const [trigger, read] of readers) this.set({ trigger }, read());
      },
    });
  }

  forTrigger(trigger: string, readInFlight: () => number): TriggerMetrics {
    this.inFlightReaders.set(trigger, readInFlight);
    const byResult = {
      success: this.events.labels(trigger, 'success'),
      error: this.events.labels(trigger, 'error'),
      timeout: this.events.labels(trigger, 'timeout'),
      rejected: this.events.labels(trigger, 'rejected'),
    };
    const duration = this.duration.labels(trigger);
    const wait = this.wait.labels(trigger);
    return {
      handled(result, seconds) {
        byResult[result].inc();
        if (result !== 'rejected') duration.observe(seconds);
      },
      waited(seconds) {
        wait.observe(seconds);
      },
    };
  }
}
