import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { validateFunctionConfig, type FunctionConfig, type FunctionStatus, type Platform, type TriggerPlugin } from '@nucleon/core';
import { noopLogger } from '@nucleon/core/testing';
import { Scaler } from './scaler.js';

// The scaler's decisions over an in-memory platform whose processors are tiny /metrics servers.
// The real platforms are in the *.integration tests.
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function metricsServer(text: () => string): Promise<number> {
  const server = createServer((_req, res) => res.end(text()));
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

const cfg = (name: string, spec: Record<string, unknown>): FunctionConfig =>
  validateFunctionConfig({ metadata: { name }, spec: { runtime: 'nodejs', handler: 'main:handler', ...spec } }).config;

class FakePlatform implements Platform {
  readonly statuses = new Map<string, FunctionStatus>();
  readonly configs = new Map<string, FunctionConfig>();
  readonly scaled: Array<[string, number]> = [];

  add(name: string, adminPort: number, config: FunctionConfig | undefined): void {
    this.statuses.set(name, { name, platform: 'fake', state: 'ready', runtime: 'nodejs', handler: 'main:handler', createdAt: 't0', details: { adminPort } });
    if (config) this.configs.set(name, config);
  }

  async deploy(): Promise<FunctionStatus> { throw new Error('not here'); }
  async get(name: string) { return this.statuses.get(name); }
  async getConfig(name: string) { return this.configs.get(name); }
  async list() { return [...this.statuses.values()]; }
  async delete(name: string) { this.statuses.delete(name); }
  async *logs(): AsyncIterable<string> { /* none */ }
  async scale(name: string, replicas: number): Promise<FunctionStatus> {
    this.scaled.push([name, replicas]);
    const status = { ...this.statuses.get(name)!, state: replicas === 0 ? 'scaledToZero' as const : 'ready' as const };
    this.statuses.set(name, status);
    return status;
  }
}

const idleMetrics = () => 'nucleon_events_total{trigger="http",result="success"} 7\nnucleon_events_in_flight 0\n';
const ticks = async (scaler: Scaler, n: number, gapMs: number) => {
  for (let i = 0; i < n; i++) {
    await scaler.tick();
    await new Promise((r) => setTimeout(r, gapMs));
  }
};

describe('Scaler decisions', () => {
  it('takes an idle function with a policy to zero once, and leaves one without a policy alone', async () => {
    const platform = new FakePlatform();
    platform.add('idle', await metricsServer(idleMetrics), cfg('idle', { minReplicas: 0, scaleToZero: { scaleResources: [{ windowSize: '100ms' }] } }));
    platform.add('busy', await metricsServer(idleMetrics), cfg('busy', {}));
    const scaler = new Scaler({ platform, logger: noopLogger, intervalMs: 10 });
    await ticks(scaler, 6, 40);
    await scaler.stop();
    expect(platform.scaled).toEqual([['idle', 0]]);
  });

  it('is not fooled by events: a counter that grows keeps the function up', async () => {
    let events = 0;
    const platform = new FakePlatform();
    platform.add('live', await metricsServer(() => `nucleon_events_total ${(events += 1)}\n`), cfg('live', { minReplicas: 0, scaleToZero: { scaleResources: [{ windowSize: '100ms' }] } }));
    const scaler = new Scaler({ platform, logger: noopLogger, intervalMs: 10 });
    await ticks(scaler, 6, 40);
    await scaler.stop();
    expect(platform.scaled).toEqual([]);
  });

  it('picks up a configuration that could not be read at first (a deploy still under way)', async () => {
    const platform = new FakePlatform();
    platform.add('late', await metricsServer(idleMetrics), undefined);
    const scaler = new Scaler({ platform, logger: noopLogger, intervalMs: 10 });
    await ticks(scaler, 2, 40);
    platform.configs.set('late', cfg('late', { minReplicas: 0, scaleToZero: { scaleResources: [{ windowSize: '100ms' }] } }));
    await ticks(scaler, 6, 40);
    await scaler.stop();
    expect(platform.scaled).toEqual([['late', 0]]);
  });

  it('backs off a function at zero that keeps failing to wake, doubling the pause each time, instead of waking it on every probe', async () => {
    const platform = new FakePlatform();
    platform.add('broken', 1, cfg('broken', {
      minReplicas: 0, disableDefaultHTTPTrigger: true, triggers: { q: { kind: 'test-stream', attributes: {} } },
    }));
    platform.statuses.set('broken', { ...platform.statuses.get('broken')!, state: 'scaledToZero' });
    const wakes: number[] = [];
    platform.scale = async (name: string, replicas: number) => {
      wakes.push(Date.now());
      throw new Error(`cannot start ${name} (${replicas})`);
    };
    const streamPlugin: TriggerPlugin = {
      kind: 'trigger', name: 'test-stream', coreRange: '^0.1.0', attributes: {}, create: () => { throw new Error('not here'); },
      backlog: async () => ({ pending: 3 }),
    };
    const scaler = new Scaler({ platform, logger: noopLogger, probeIntervalMs: 0, failBackoffMs: 200, resolveTrigger: async () => streamPlugin });
    await ticks(scaler, 25, 40);
    await scaler.stop();
    // About 1 s of ticks: wakes at 0, +200, +600 ms (the backoff doubling), not 25 of them.
    expect(wakes.length).toBeGreaterThanOrEqual(2);
    expect(wakes.length).toBeLessThanOrEqual(4);
    expect(wakes[2]! - wakes[1]!).toBeGreaterThanOrEqual(2 * (wakes[1]! - wakes[0]!) - 100);
  });

  it('refuses a platform that cannot scale', () => {
    const platform: Platform = { ...new FakePlatform(), scale: undefined } as unknown as Platform;
    expect(() => new Scaler({ platform, logger: noopLogger })).toThrow(/cannot scale/);
  });
});
