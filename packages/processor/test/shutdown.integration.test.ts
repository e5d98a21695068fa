import { describe, expect, it } from 'vitest';
import { functionDir, functionYaml, startProcessor } from '../src/testing/index.js';

const SLOW = `exports.handler = async (context, event) => {
  const ms = Number(event.fields.ms ?? 0);
  await new Promise((r) => setTimeout(r, ms));
  return 'done after ' + ms;
};`;
const TRIGGER = '    web:\n      kind: http\n      numWorkers: 4\n';

describe('graceful SIGTERM drain', () => {
  it('finishes in-flight requests, refuses new ones, reports not-ready, and exits 0 in time', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': functionYaml({ trigger: TRIGGER }), 'main.js': SLOW }), {
      env: { NUCLEON_DRAIN_TIMEOUT_MS: '5000' },
    });
    const inFlight = [1, 2, 3].map(() => fetch(`${p.url}/?ms=1000`).then(async (r) => ({ status: r.status, text: await r.text() })));
    await new Promise((r) => setTimeout(r, 200));
    const signalledAt = Date.now();
    p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));

    const ready = await fetch(`${p.adminUrl}/ready`).then((r) => r.status, () => 'refused');
    expect(ready === 503 || ready === 'refused').toBe(true);
    const fresh = await fetch(`${p.url}/?ms=0`, { headers: { connection: 'close' } }).then((r) => r.status, () => 'refused');
    expect(fresh === 503 || fresh === 'refused').toBe(true);

    for (const r of await Promise.all(inFlight)) expect(r).toEqual({ status: 200, text: 'done after 1000' });
    expect(await p.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(p.output()).toContain('draining');
  });

  it('cuts off a handler that outlives the drain deadline and still exits promptly', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': functionYaml({ trigger: TRIGGER, eventTimeout: '60s' }), 'main.js': SLOW }), {
      env: { NUCLEON_DRAIN_TIMEOUT_MS: '500' },
    });
    const stuck = fetch(`${p.url}/?ms=30000`).then((r) => r.status, () => 'connection closed');
    await new Promise((r) => setTimeout(r, 100));
    const signalledAt = Date.now();
    p.child.kill('SIGTERM');
    const code = await p.exited;
    const took = Date.now() - signalledAt;
    expect(took).toBeLessThan(500 + 2500);
    expect(code).toBe(0);
    expect(await stuck).toBe('connection closed');
    expect(p.output()).toContain('drain deadline passed with events still running');
  });
});

describe('a signal while the processor is still starting', () => {
  it('exits promptly with 143 instead of finishing a slow start', async () => {
    const slowInit = 'exports.initContext = () => new Promise((r) => setTimeout(r, 10000)); exports.handler = () => "never";';
    const p = await startProcessor(functionDir({ 'function.yaml': functionYaml(), 'main.js': slowInit }), { waitReady: false });
    await new Promise((r) => setTimeout(r, 600));
    const signalledAt = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(143);
    expect(Date.now() - signalledAt).toBeLessThan(2000);
    expect(p.output()).toContain('signal during start; exiting');
  });
});
