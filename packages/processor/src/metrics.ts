import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Registry } from 'prom-client';
import { LocalCounterFamily, LocalGauge, LocalHistogramFamily, type LocalCounter, type LocalHistogram } from './local-metrics.js';

export type EventResult = 'success' | 'error' | 'timeout' | 'rejected';

/** Per-trigger metric handles: plain number updates on the event path. */
export interface TriggerMetrics {
  handled(result: EventResult, durationSeconds: number): void;
  waited(seconds: number): void;
}

const DURATION_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * The processor's Prometheus metrics, served on the admin port's /metrics through
 * prom-client's registry. prom-client is loaded at the first scrape, not at start, which
 * keeps it off the cold-start path; the event path only bumps plain numbers.
 */
export class ProcessorMetrics {
  private readonly events = new LocalCounterFamily('nucleon_events_total', 'Events handled, by trigger and result (success, error, timeout, rejected)');
  private readonly duration = new LocalHistogramFamily('nucleon_event_duration_seconds', 'Time from a worker taking an event to its result', DURATION_BUCKETS);
  private readonly wait = new LocalHistogramFamily('nucleon_worker_wait_seconds', 'Time an event waited for a free worker', DURATION_BUCKETS);
  private readonly inFlight = new LocalGauge('nucleon_events_in_flight', 'Events being handled right now');
  private registryPromise: Promise<Registry> | undefined;

  constructor(private readonly functionName: string) {}

  forTrigger(trigger: string, readInFlight: () => number): TriggerMetrics {
    this.inFlight.track({ trigger }, readInFlight);
    const byResult: Record<EventResult, LocalCounter> = {
      success: this.events.child({ trigger, result: 'success' }),
      error: this.events.child({ trigger, result: 'error' }),
      timeout: this.events.child({ trigger, result: 'timeout' }),
      rejected: this.events.child({ trigger, result: 'rejected' }),
    };
    const duration: LocalHistogram = this.duration.child({ trigger });
    const wait: LocalHistogram = this.wait.child({ trigger });
    return {
      handled(result, seconds) {
        byResult[result].value += 1;
        if (result !== 'rejected') duration.observe(seconds);
      },
      waited(seconds) {
        wait.observe(seconds);
      },
    };
  }

  /** The Prometheus text exposition of every metric; the registry (and prom-client) is made on first use. */
  async render(): Promise<{ text: string; contentType: string }> {
    this.registryPromise ??= this.createRegistry();
    const registry = await this.registryPromise;
    return { text: await registry.metrics(), contentType: registry.contentType };
  }

  private async createRegistry(): Promise<Registry> {
    const prom = await import('prom-client');
    const registry = new prom.Registry();
    registry.setDefaultLabels({ function: this.functionName });
    for (const metric of [this.events, this.duration, this.wait, this.inFlight]) {
      registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
    }
    registerProcessMetrics(prom, registry);
    return registry;
  }
}

/**
 * Process health read at scrape time. prom-client's collectDefaultMetrics is not used: its
 * GC observer costs a few percent of CPU per request under load.
 */
function registerProcessMetrics(prom: typeof import('prom-client'), registry: Registry): void {
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  const gauge = (name: string, help: string, read: () => number) =>
    new prom.Gauge({ name, help, registers: [registry], collect() { this.set(read()); } });
  gauge('nucleon_process_resident_memory_bytes', 'Resident set size', () => process.memoryUsage.rss());
  gauge('nucleon_process_heap_used_bytes', 'V8 heap in use', () => process.memoryUsage().heapUsed);
  gauge('nucleon_process_cpu_seconds', 'User and system CPU time used since start', () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1e6;
  });
  gauge('nucleon_process_event_loop_delay_p99_seconds', 'Event loop delay, 99th percentile since start', () => loopDelay.percentile(99) / 1e9);
  gauge('nucleon_process_start_time_seconds', 'Process start, seconds since the epoch', () => Math.round(Date.now() / 1000 - process.uptime()));
}
