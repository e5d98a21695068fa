// Unit tests for the ticker with node:test and hand-written doubles, so they run with no
// install at all (`npm test`). With @nucleon/core installed, InMemorySubmitter and
// InMemoryLogger from '@nucleon/core/testing' do the same job.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import ticker from './index.js';

function fakeLogger() {
  const lines = [];
  const log = (level) => (msg, fields = {}) => lines.push({ level, msg, ...fields });
  const logger = {
    debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'),
    debugWith: log('debug'), infoWith: log('info'), warnWith: log('warn'), errorWith: log('error'),
    child: () => logger,
  };
  return { logger, lines };
}

function create(attributes, submit, numWorkers = 1) {
  const { logger, lines } = fakeLogger();
  const events = [];
  const trigger = ticker.create({
    name: 'tick', logger, function: /** @type {any} */ ({}),
    config: { kind: 'nucleon-trigger-ticker', numWorkers, workerAvailabilityTimeoutMilliseconds: 10_000, attributes },
    submitter: { submit: async (event) => { events.push(event); return submit(event); } },
  });
  return { trigger, events, lines };
}

test('declares itself as a trigger plugin for core ^0.1.0', () => {
  assert.equal(ticker.kind, 'trigger');
  assert.equal(ticker.name, 'nucleon-trigger-ticker');
  assert.equal(ticker.coreRange, '^0.1.0');
  assert.deepEqual(Object.keys(ticker.attributes), ['intervalMs', 'body', 'count']);
});

test('submits the configured body every intervalMs, count times', async () => {
  const { trigger, events } = create({ intervalMs: 5, body: 'hello', count: 3 }, async () => ({ statusCode: 200 }));
  await trigger.start();
  await sleep(100);
  await trigger.stop(1000);
  assert.equal(events.length, 3);
  for (const e of events) {
    assert.equal(e.body.toString(), 'hello');
    assert.equal(e.contentType, 'text/plain');
    assert.deepEqual(e.trigger, { kind: 'nucleon-trigger-ticker', name: 'tick' });
    assert.ok(e.timestamp instanceof Date);
  }
  assert.equal(new Set(events.map((e) => e.id)).size, 3);
});

test('logs a failed submit with warn and keeps ticking', async () => {
  const failure = Object.assign(new Error('busy'), { code: 'NUCLEON_ERR_NO_WORKER_AVAILABLE' });
  const { trigger, events, lines } = create({ intervalMs: 5, body: 'x', count: 2 }, async () => { throw failure; });
  await trigger.start();
  await sleep(60);
  await trigger.stop(1000);
  assert.equal(events.length, 2);
  const warnings = lines.filter((l) => l.level === 'warn' && l.msg === 'tick failed');
  assert.deepEqual(warnings.map((w) => w.code), ['NUCLEON_ERR_NO_WORKER_AVAILABLE', 'NUCLEON_ERR_NO_WORKER_AVAILABLE']);
});

test('stop() waits for the event in flight and submits nothing afterwards', async () => {
  let finished = false;
  const { trigger, events } = create({ intervalMs: 5, body: 'x', count: 0 }, async () => {
    await sleep(50);
    finished = true;
  });
  await trigger.start();
  await sleep(15);
  await trigger.stop(1000);
  assert.equal(finished, true);
  const submitted = events.length;
  await sleep(30);
  assert.equal(events.length, submitted);
  assert.equal(submitted, 1, 'ticks that find the only worker busy are skipped');
});

test('stop() gives up waiting at the deadline', async () => {
  const { trigger, lines } = create({ intervalMs: 5, body: 'x', count: 1 }, () => new Promise(() => {}));
  await trigger.start();
  await sleep(20);
  const started = Date.now();
  await trigger.stop(50);
  assert.ok(Date.now() - started < 1000);
  assert.ok(lines.some((l) => l.msg === 'ticker stopped with events still in flight'));
});
