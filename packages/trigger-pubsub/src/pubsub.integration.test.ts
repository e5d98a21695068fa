import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, functionDir, functionYaml, startProcessor, until, type StartedProcessor } from '@nucleon/processor/testing';
import { backlog, client, EMULATOR, PROJECT, publish, pubsubTrigger, readMessages, startFake } from './test-support.js';

const RUN = `${process.pid}-${Date.now().toString(36)}`;

/**
 * Appends every body it sees (one line per attempt), optionally a JSON line of what the event
 * carried, `+`/`-` around each run (to measure concurrency), and throws for bodies starting with "poison".
 */
const HANDLER = `const fs = require('node:fs');
exports.handler = async (context, event) => {
  const body = event.body.toString();
  if (process.env.FLOW_FILE) fs.appendFileSync(process.env.FLOW_FILE, '+\\n');
  fs.appendFileSync(process.env.SEEN_FILE, body + '\\n');
  if (process.env.META_FILE) fs.appendFileSync(process.env.META_FILE, JSON.stringify({ body, header: event.headers['x-test'],
    messageId: event.fields.messageId, subscription: event.fields.subscription, topic: event.topic, offset: event.offset,
    timestamp: event.timestamp }) + '\\n');
  const ms = Number(process.env.HANDLER_MS || 0);
  if (ms) await new Promise((r) => setTimeout(r, ms));
  if (process.env.FLOW_FILE) fs.appendFileSync(process.env.FLOW_FILE, '-\\n');
  if (body.startsWith('poison')) throw new Error('cannot handle ' + body);
  return 'ok';
};`;

let ps: PubSub;
const running: StartedProcessor[] = [];

beforeAll(async () => {
  startFake();
  ps = client();
}, 240_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await ps?.close();
});

async function topic(name: string): Promise<string> {
  const full = `${name}-${RUN}`;
  await ps.createTopic(full);
  return full;
}

function fixture(trigger: string): { dir: string; seen: string } {
  const dir = functionDir({ 'function.yaml': functionYaml({ trigger }), 'main.js': HANDLER });
  return { dir, seen: join(dir, 'seen.txt') };
}

async function start(dir: string, seen: string, env: Record<string, string> = {}): Promise<StartedProcessor> {
  const p = await startProcessor(dir, { env: { SEEN_FILE: seen, ...env } });
  running.push(p);
  return p;
}

const BASE = [`projectID: ${PROJECT}`, `emulatorHost: ${EMULATOR}`];

describe('pubsub trigger against pstest', () => {
  it('handles 200 messages once each, with attributes as headers and the message id, and acks them all', async () => {
    const t = await topic('flow');
    const { dir, seen } = fixture(pubsubTrigger('orders', {
      numWorkers: 4, attributes: BASE, subscriptions: [{ topic: t, idPrefix: 'nucleon-', shared: true, ackDeadline: '2s' }],
    }));
    const meta = join(dir, 'meta.jsonl');
    const p = await start(dir, seen, { META_FILE: meta });
    const bodies = Array.from({ length: 200 }, (_, i) => `m-${i}`);
    const ids = await publish(ps, t, bodies, { 'x-test': 'yes' });
    await until('200 handled', () => fileLines(seen).length >= 200);
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(fileLines(seen)).toHaveLength(200);
    expect(new Set(fileLines(seen))).toEqual(new Set(bodies));
    const events = fileLines(meta).map((l) => JSON.parse(l) as Record<string, string>);
    const first = events.find((e) => e.body === 'm-0');
    expect(first).toMatchObject({ header: 'yes', messageId: ids[0], offset: ids[0], topic: t, subscription: `nucleon-${t}` });
    expect(Math.abs(Date.parse(first?.timestamp ?? '') - Date.now())).toBeLessThan(60_000);
    // Acked, not merely leased: nothing comes back after the 2 s ack deadline.
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await backlog(ps, `nucleon-${t}`)).toBe(0);
  });

  it('retries a failing message maxAttempts times, dead-letters it to a topic with its error as attributes, and lets the rest flow', async () => {
    const t = await topic('poison');
    const dl = await topic('poison-dl');
    await ps.topic(dl).createSubscription(`${dl}-read`);
    const { dir, seen } = fixture(pubsubTrigger('orders', {
      numWorkers: 2, attributes: [...BASE, 'maxAttempts: 3', 'retryInitialDelayMs: 20', `deadLetter: ${dl}`],
      subscriptions: [{ topic: t, shared: true, ackDeadline: '2s' }],
    }));
    const p = await start(dir, seen);
    const bodies = Array.from({ length: 20 }, (_, i) => (i === 7 ? 'poison-7' : `ok-${i}`));
    const ids = await publish(ps, t, bodies, { 'x-test': 'yes', 'content-type': 'text/plain' });
    const [letter] = await readMessages(ps, `${dl}-read`, 1);
    await until('the good messages', () => fileLines(seen).filter((l) => l.startsWith('ok-')).length === 19);
    expect(letter?.data.toString()).toBe('poison-7');
    const attrs = letter?.attributes ?? {};
    expect(attrs['x-nucleon-attempts']).toBe('3');
    expect(attrs['x-nucleon-error']).toContain('cannot handle poison-7');
    expect(attrs['x-nucleon-source-trigger']).toBe('pubsub/orders');
    expect(attrs['x-nucleon-source-topic']).toBe(t);
    expect(attrs['x-nucleon-source-offset']).toBe(ids[7]);
    expect(attrs['x-test']).toBe('yes');
    expect(attrs['content-type']).toBe('text/plain');
    expect(p.output()).toContain('dead-letter');
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(fileLines(seen).filter((l) => l === 'poison-7')).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await backlog(ps, t)).toBe(0);
  });

  it('loses nothing when the processor is killed with SIGKILL mid-stream and restarted (redelivery after the ack deadline)', async () => {
    const t = await topic('kill');
    const { dir, seen } = fixture(pubsubTrigger('orders', {
      numWorkers: 4, attributes: BASE, subscriptions: [{ topic: t, shared: true, ackDeadline: '2s' }],
    }));
    const first = await start(dir, seen, { HANDLER_MS: '10' });
    const bodies = Array.from({ length: 500 }, (_, i) => `n-${i}`);
    await publish(ps, t, bodies);
    await until('some handled', () => fileLines(seen).length >= 100);
    await first.stop('SIGKILL');
    const handledBeforeKill = new Set(fileLines(seen)).size;
    expect(handledBeforeKill).toBeLessThan(500);
    const second = await start(dir, seen);
    await until('all handled after the restart', () => new Set(fileLines(seen)).size === 500, 45_000);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(new Set(fileLines(seen))).toEqual(new Set(bodies));
    await new Promise((r) => setTimeout(r, 2_500));
    expect(await backlog(ps, t)).toBe(0);
  }, 90_000);

  it('shared: two processors on one subscription split the messages between them', async () => {
    const t = await topic('shared');
    const trigger = pubsubTrigger('orders', { numWorkers: 2, attributes: BASE, subscriptions: [{ topic: t, shared: true, ackDeadline: '5s' }] });
    const a = fixture(trigger);
    const b = fixture(trigger);
    const [pa, pb] = [await start(a.dir, a.seen, { HANDLER_MS: '5' }), await start(b.dir, b.seen, { HANDLER_MS: '5' })];
    const bodies = Array.from({ length: 300 }, (_, i) => `s-${i}`);
    await publish(ps, t, bodies);
    await until('300 handled between them', () => new Set([...fileLines(a.seen), ...fileLines(b.seen)]).size === 300);
    expect(await pa.stop('SIGTERM')).toBe(0);
    expect(await pb.stop('SIGTERM')).toBe(0);
    const [na, nb] = [fileLines(a.seen).length, fileLines(b.seen).length];
    expect(na).toBeGreaterThan(0);
    expect(nb).toBeGreaterThan(0);
    expect(na + nb).toBe(300);
  });

  it('not shared: each processor gets its own subscription and every message', async () => {
    const t = await topic('fanout');
    const trigger = pubsubTrigger('orders', { numWorkers: 2, attributes: BASE, subscriptions: [{ topic: t }] });
    const a = fixture(trigger);
    const b = fixture(trigger);
    const [pa, pb] = [await start(a.dir, a.seen), await start(b.dir, b.seen)];
    const bodies = Array.from({ length: 50 }, (_, i) => `f-${i}`);
    await publish(ps, t, bodies);
    await until('both saw all 50', () => new Set(fileLines(a.seen)).size === 50 && new Set(fileLines(b.seen)).size === 50);
    expect(await pa.stop('SIGTERM')).toBe(0);
    expect(await pb.stop('SIGTERM')).toBe(0);
    // The per-start subscriptions are deleted on a clean stop.
    const [subs] = await ps.topic(t).getSubscriptions();
    expect(subs).toHaveLength(0);
  });

  it('flow control: at most maxNumWorkers messages are in the handler at once, even with more workers', async () => {
    const t = await topic('fc');
    const { dir, seen } = fixture(pubsubTrigger('orders', {
      numWorkers: 8, attributes: BASE, subscriptions: [{ topic: t, shared: true, maxNumWorkers: 2 }],
    }));
    const flow = join(dir, 'flow.txt');
    const p = await start(dir, seen, { FLOW_FILE: flow, HANDLER_MS: '40' });
    await publish(ps, t, Array.from({ length: 40 }, (_, i) => `c-${i}`));
    await until('40 handled', () => new Set(fileLines(seen)).size === 40);
    expect(await p.stop('SIGTERM')).toBe(0);
    let running = 0;
    let peak = 0;
    for (const mark of fileLines(flow)) {
      running += mark === '+' ? 1 : -1;
      peak = Math.max(peak, running);
    }
    expect(peak).toBe(2);
  });

  it('extends the ack deadline while a handler runs longer than it: no redelivery', async () => {
    const t = await topic('long');
    const { dir, seen } = fixture(pubsubTrigger('orders', {
      numWorkers: 2, attributes: BASE, subscriptions: [{ topic: t, shared: true, ackDeadline: '1s', maxNumWorkers: 2 }],
    }));
    const p = await start(dir, seen, { HANDLER_MS: '3500' });
    await publish(ps, t, ['slow-1', 'slow-2']);
    await until('both handled', () => fileLines(seen).length >= 2);
    await new Promise((r) => setTimeout(r, 5_000));
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(readFileSync(seen, 'utf8').trim().split('\n').sort()).toEqual(['slow-1', 'slow-2']);
  });
});
