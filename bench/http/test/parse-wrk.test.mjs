// Unit test of the wrk output parser: `node --test bench/http/test/` (not part of vitest).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseWrk, parseTime, parseMetric, parseBytes, isClean } from '../parse-wrk.mjs';

const fixture = (name) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const close = (actual, expected) => assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} != ${expected}`);

test('units', () => {
  close(parseTime('467.00us'), 0.467);
  close(parseTime('7.43ms'), 7.43);
  close(parseTime('1.20s'), 1200);
  close(parseTime('2.00m'), 120_000);
  close(parseMetric('96.62k'), 96_620);
  close(parseMetric('1.50M'), 1_500_000);
  close(parseMetric('812.00'), 812);
  close(parseBytes('13.97MB'), 13.97 * 1024 * 1024);
  close(parseBytes('512.00KB'), 512 * 1024);
  assert.throws(() => parseTime('7.43 parsecs'));
});

test('a clean run (real wrk 4.1 output)', () => {
  const r = parseWrk(fixture('wrk-clean.txt'));
  assert.equal(r.threads, 1);
  assert.equal(r.connections, 50);
  assert.equal(r.requests, 192013);
  close(r.durationMs, 2000);
  close(r.reqPerSec, 95770.52);
  close(r.latency.avgMs, 0.75847);
  close(r.latency.maxMs, 51.26);
  close(r.latency.p50Ms, 0.467);
  close(r.latency.p75Ms, 0.507);
  close(r.latency.p90Ms, 0.627);
  close(r.latency.p99Ms, 7.43);
  assert.deepEqual(r.socketErrors, { connect: 0, read: 0, write: 0, timeout: 0 });
  assert.equal(r.non2xx3xx, 0);
  assert.ok(isClean(r));
});

test('errors, non-2xx and second-scale latencies', () => {
  const r = parseWrk(fixture('wrk-errors.txt'));
  close(r.latency.p50Ms, 1200);
  close(r.latency.p99Ms, 1900);
  assert.deepEqual(r.socketErrors, { connect: 0, read: 3, write: 0, timeout: 17 });
  assert.equal(r.non2xx3xx, 12);
  close(r.reqPerSec, 154.25);
  close(r.bytesRead, 1.21 * 1024 ** 3);
  assert.equal(isClean(r), false);
});

test('output without a summary is an error', () => {
  assert.throws(() => parseWrk('unable to connect to 127.0.0.1:1 Connection refused\n'), /Requests\/sec/);
});
