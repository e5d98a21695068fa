import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileLines, functionDir, functionYaml, startProcessor, triggerYaml, until, type StartedProcessor } from '@nucleon/processor/testing';

/** Appends one JSON line per run: when it was scheduled, when it started and ended, and what it got. */
const HANDLER = `const fs = require('node:fs');
exports.handler = async (context, event) => {
  const start = Date.now();
  const ms = Number(process.env.HANDLER_MS || 0);
  if (ms) await new Promise((r) => setTimeout(r, ms));
  // A handler that blocks the event loop: the processor cannot run its timers meanwhile.
  const block = Number(process.env.BLOCK_MS || 0);
  while (Date.now() - start < block) { /* busy */ }
  fs.appendFileSync(process.env.SEEN_FILE, JSON.stringify({
    scheduled: event.timestamp.getTime(), header: event.headers['x-nucleon-cron-scheduled-at'], start, end: Date.now(),
    body: event.body.toString(), method: event.method, path: event.path, who: event.headers['x-who'], trigger: event.trigger,
  }) + '\\n');
  return 'ok';
};`;

interface Run { scheduled: number; header: string; start: number; end: number; body: string; method: string; path: string; who?: string; trigger: { kind: string; name: string } }

const running: StartedProcessor[] = [];
afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
});

function runs(file: string): Run[] {
  return fileLines(file).map((l) => JSON.parse(l) as Run);
}

async function start(attributes: string[], env: Record<string, string> = {}): Promise<{ p: StartedProcessor; seen: string }> {
  const trigger = triggerYaml({ name: 'tick', kind: 'cron', attributes });
  const dir = functionDir({ 'function.yaml': functionYaml({ trigger }), 'main.js': HANDLER });
  const seen = join(dir, 'seen.jsonl');
  const p = await startProcessor(dir, { env: { SEEN_FILE: seen, ...env } });
  running.push(p);
  return { p, seen };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('cron trigger in the real processor', () => {
  it('@every 1s fires about once a second with the configured event, scheduled times 1 s apart', async () => {
    const { p, seen } = await start(['schedule: "@every 1s"',
      'event:', '  body: "tick-body"', '  method: PUT', '  path: /jobs/cleanup', '  headers:', '    x-who: cron-test']);
    await sleep(5_400);
    expect(await p.stop('SIGTERM')).toBe(0);
    const r = runs(seen);
    expect(r.length).toBeGreaterThanOrEqual(4);
    expect(r.length).toBeLessThanOrEqual(6);
    for (const run of r) {
      expect(run).toMatchObject({ body: 'tick-body', method: 'PUT', path: '/jobs/cleanup', who: 'cron-test', trigger: { kind: 'cron', name: 'tick' } });
      expect(run.header).toBe(new Date(run.scheduled).toISOString());
      // Started at, not before, its scheduled time, and not far after (a loaded 2-CPU machine).
      expect(run.start).toBeGreaterThanOrEqual(run.scheduled);
      expect(run.start - run.scheduled).toBeLessThan(500);
    }
    for (let i = 1; i < r.length; i += 1) expect(r[i]!.scheduled - r[i - 1]!.scheduled).toBe(1000);
  });

  it("deploys Nuclio's Kubernetes-only attributes (jobBackoffLimit, concurrencyPolicy Replace) with a warning each, and ticks", async () => {
    const { p, seen } = await start(['interval: 300ms', 'jobBackoffLimit: 2', 'concurrencyPolicy: Replace']);
    await until('2 runs', () => fileLines(seen).length >= 2, 5_000);
    const warnings = p.logLines().filter((l) => l.msg === 'configuration warning').map((l) => `${String(l.path)}: ${String(l.warning)}`);
    expect(warnings).toContain('spec.triggers.tick.attributes.jobBackoffLimit: accepted for Nuclio compatibility but not supported by @nucleon/trigger-cron yet, ignored');
    expect(warnings).toContain('spec.triggers.tick.attributes.concurrencyPolicy: Replace applies to Kubernetes CronJobs only; run as Forbid');
    expect(await p.stop('SIGTERM')).toBe(0);
  });

  it('interval: 500ms fires twice a second', async () => {
    const { p, seen } = await start(['interval: 500ms']);
    await until('6 runs', () => fileLines(seen).length >= 6, 10_000);
    expect(await p.stop('SIGTERM')).toBe(0);
    const r = runs(seen);
    for (let i = 1; i < r.length; i += 1) expect(r[i]!.scheduled - r[i - 1]!.scheduled).toBe(500);
    expect(r.at(-1)!.start - r[0]!.start).toBeLessThan(r.length * 500);
  });

  it('a handler slower than the interval never overlaps itself, and skipped ticks do not pile up into a burst', async () => {
    const { p, seen } = await start(['interval: 300ms'], { HANDLER_MS: '1000' });
    await sleep(5_500);
    expect(await p.stop('SIGTERM')).toBe(0);
    const r = runs(seen);
    // About one run per 1.2 s (1 s of work, then the next 300 ms tick): 4 or 5 in 5.5 s, not 18.
    expect(r.length).toBeGreaterThanOrEqual(3);
    expect(r.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < r.length; i += 1) {
      expect(r[i]!.start).toBeGreaterThanOrEqual(r[i - 1]!.end);
      // No catch-up burst: the next run waits for a tick after the previous one ended.
      expect(r[i]!.scheduled).toBeGreaterThanOrEqual(r[i - 1]!.end - 300);
      expect(r[i]!.start - r[i - 1]!.start).toBeGreaterThanOrEqual(1000);
    }
    const skipped = p.logLines().filter((l) => String(l.message ?? l.msg ?? '').startsWith('cron tick skipped'));
    expect(skipped.length).toBeGreaterThanOrEqual(4);
    expect(skipped[0]).toHaveProperty('scheduledAt');
  });

  it('ticks missed while a synchronous handler blocked the event loop fire once, not as a backlog', async () => {
    const { p, seen } = await start(['interval: 200ms'], { BLOCK_MS: '1000' });
    await sleep(4_000);
    expect(await p.stop('SIGTERM')).toBe(0);
    const r = runs(seen);
    // Each run blocks 1 s, during which 5 ticks come due: one catch-up run follows, not 5.
    expect(r.length).toBeGreaterThanOrEqual(2);
    expect(r.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < r.length; i += 1) {
      expect(r[i]!.start).toBeGreaterThanOrEqual(r[i - 1]!.end);
      expect(r[i]!.scheduled).toBeGreaterThan(r[i - 1]!.scheduled + 600);
    }
    const missed = p.logLines().filter((l) => String(l.message ?? l.msg ?? '').startsWith('cron ticks missed'));
    expect(missed.length).toBeGreaterThanOrEqual(1);
    expect(missed[0]!.missed).toBeGreaterThanOrEqual(3);
  });

  it('SIGTERM waits for the run in progress to finish', async () => {
    const { p, seen } = await start(['interval: 200ms'], { HANDLER_MS: '1500' });
    await sleep(600); // the first run started at ~200 ms and ends at ~1.7 s
    const stoppedAt = Date.now();
    expect(await p.stop('SIGTERM')).toBe(0);
    const r = runs(seen);
    expect(r).toHaveLength(1);
    expect(r[0]!.end).toBeGreaterThan(stoppedAt);
  });
});
