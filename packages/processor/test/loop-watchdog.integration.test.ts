import { describe, expect, it } from 'vitest';
import { ExitCodes } from '../src/exit-codes.js';
import { functionDir, functionYaml, startProcessor, until, type StartedProcessor } from '../src/testing/index.js';

// A Node handler runs on the processor's own event loop: `/block` never yields, `/native`
// blocks in native code (no JavaScript runs, so no interrupt either), `/busy` holds the loop
// for 2.5 s then answers.
const HANDLER = `exports.handler = (context, event) => {
  if (event.path === '/block') { while (true) {} }
  if (event.path === '/native') { require('node:child_process').execSync('sleep 8'); }
  if (event.path === '/busy') { const until = Date.now() + 2500; while (Date.now() < until) {} return 'done'; }
  return 'ok';
};
`;
const BOUND_MS = 1000;
// The watchdog checks 4 times per bound; the rest is a loaded 2-CPU machine's scheduling.
const SLACK_MS = 4000;
const BLOCKED_LINE = 'event loop blocked past the bound';

async function started(env: Record<string, string>): Promise<StartedProcessor> {
  return startProcessor(functionDir({ 'function.yaml': functionYaml({ name: 'loop-fn' }), 'main.js': HANDLER }), { env });
}

/** Sends a request that will not be answered soon; its failure is expected. */
function fireAndForget(url: string): void {
  void fetch(url, { signal: AbortSignal.timeout(20_000) }).then((r) => r.text()).catch(() => undefined);
}

describe('the event-loop watchdog, through the real processor', () => {
  it('reports a handler that never yields on stderr within the bound and exits with the documented code', async () => {
    const p = await started({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: String(BOUND_MS) });
    try {
      const sentAt = Date.now();
      fireAndForget(`${p.url}/block`);
      const code = await Promise.race([p.exited, new Promise((r) => setTimeout(() => r('still running'), BOUND_MS + SLACK_MS))]);
      const elapsed = Date.now() - sentAt;
      expect(code, p.output()).toBe(ExitCodes.LOOP_BLOCKED);
      expect(code).toBe(75);
      expect(elapsed).toBeGreaterThanOrEqual(BOUND_MS);
      const line = p.output().split('\n').find((l) => l.includes(BLOCKED_LINE));
      expect(line, p.output()).toBeDefined();
      expect(JSON.parse(line!)).toMatchObject({ level: 'error', function: 'loop-fn', boundMs: BOUND_MS, exitCode: 75 });
    } finally {
      await p.stop('SIGKILL');
    }
  });

  it('kills a processor whose loop is stuck in native code, 2 s after asking it to exit', async () => {
    const p = await started({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: String(BOUND_MS) });
    try {
      fireAndForget(`${p.url}/native`);
      const code = await Promise.race([p.exited, new Promise((r) => setTimeout(() => r('still running'), BOUND_MS + 2000 + SLACK_MS))]);
      expect(code, p.output()).toBeNull();
      expect(p.child.signalCode).toBe('SIGKILL');
      expect(p.output()).toContain(BLOCKED_LINE);
      expect(p.output()).toContain('event loop still blocked (in native code?) 2000 ms after the exit was asked; killing the process');
    } finally {
      await p.stop('SIGKILL');
    }
  });

  it('with exit turned off, reports the block, keeps running, and /live tells of it once the loop runs again', async () => {
    const p = await started({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: String(BOUND_MS), NUCLEON_LOOP_BLOCK_EXIT: 'false' });
    try {
      expect(await (await fetch(`${p.adminUrl}/live`)).text()).toBe('live\n');
      const res = await fetch(`${p.url}/busy`, { signal: AbortSignal.timeout(20_000) });
      expect(await res.text()).toBe('done');
      await until('the watchdog to see the loop run again', () => p.output().includes('event loop unblocked'), 5000);
      expect(p.output()).toContain('nothing is served until it yields');
      expect(p.child.exitCode).toBeNull();
      const live = await fetch(`${p.adminUrl}/live`);
      expect(live.status).toBe(200);
      expect(await live.text()).toMatch(/^live; the event loop was blocked past 1000 ms 1 time\(s\), the longest for \d+ ms\n$/);
    } finally {
      await p.stop('SIGKILL');
    }
  });

  it('turned off (NUCLEON_LOOP_BLOCK_TIMEOUT_MS=0), a blocked processor says nothing and is not ended', async () => {
    const p = await started({ NUCLEON_LOOP_BLOCK_TIMEOUT_MS: '0' });
    try {
      fireAndForget(`${p.url}/block`);
      await new Promise((r) => setTimeout(r, BOUND_MS + SLACK_MS));
      expect(p.output()).not.toContain(BLOCKED_LINE);
      expect(p.child.exitCode).toBeNull();
      await expect(fetch(`${p.adminUrl}/live`, { signal: AbortSignal.timeout(500) })).rejects.toThrow();
    } finally {
      await p.stop('SIGKILL');
    }
  });

  it('refuses a bad setting with a message naming the variable (exit 2)', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': functionYaml(), 'main.js': HANDLER }), {
      env: { NUCLEON_LOOP_BLOCK_TIMEOUT_MS: 'soon' }, waitReady: false,
    });
    expect(await p.exited).toBe(ExitCodes.USAGE);
    expect(p.output()).toContain('NUCLEON_LOOP_BLOCK_TIMEOUT_MS must be a whole number of milliseconds');
  });
});
