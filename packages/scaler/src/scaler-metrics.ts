import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The phases of a cold start, as `nucleon_scaler_cold_start_seconds{phase}` reports them. */
export type ColdStartPhase = 'decide' | 'start' | 'ready' | 'first_response' | 'total';
export type WakeReason = 'http' | 'stream' | 'cron' | 'manual';

const COLD_START_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10, 30];

/** The scaler's Prometheus metrics, on its own registry (served at `/metrics`). */
export class ScalerMetrics {
  readonly registry = new Registry();
  private readonly coldStart = new Histogram({
    name: 'nucleon_scaler_cold_start_seconds',
    help: 'Waking a function from zero, by phase: decide (first event to the wake), start (to its processor answering /live), ready (to /ready), first_response (to the first forwarded response), total',
    labelNames: ['function', 'phase'], buckets: COLD_START_BUCKETS, registers: [this.registry],
  });
  private readonly scaledToZero = new Gauge({
    name: 'nucleon_function_scaled_to_zero', help: '1 while the function is scaled to zero', labelNames: ['function'], registers: [this.registry],
  });
  private readonly buffered = new Gauge({
    name: 'nucleon_activator_buffered_requests', help: 'Requests the activator holds while the function wakes', labelNames: ['function'], registers: [this.registry],
  });
  private readonly wakes = new Counter({
    name: 'nucleon_scaler_wakes_total', help: 'Wakes from zero, by what woke the function and how it ended', labelNames: ['function', 'reason', 'result'], registers: [this.registry],
  });
  private readonly scaleDowns = new Counter({
    name: 'nucleon_scaler_scale_to_zero_total', help: 'Idle functions taken to zero', labelNames: ['function'], registers: [this.registry],
  });

  phase(fn: string, phase: ColdStartPhase, seconds: number): void {
    this.coldStart.observe({ function: fn, phase }, seconds);
  }

  zero(fn: string, atZero: boolean): void {
    this.scaledToZero.set({ function: fn }, atZero ? 1 : 0);
  }

  bufferedRequests(fn: string, count: number): void {
    this.buffered.set({ function: fn }, count);
  }

  wake(fn: string, reason: WakeReason, result: 'ready' | 'failed'): void {
    this.wakes.inc({ function: fn, reason, result });
  }

  scaledDown(fn: string): void {
    this.scaleDowns.inc({ function: fn });
  }

  /** A deleted function's series go with it. */
  forget(fn: string): void {
    for (const metric of [this.scaledToZero, this.buffered]) metric.remove({ function: fn });
  }
}
