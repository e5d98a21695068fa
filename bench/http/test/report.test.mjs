// Unit test of the table and goal check: `node --test bench/http/test/*.test.mjs`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goalChecks, median, table } from '../lib/report.mjs';

const row = (name, o) => ({ name, label: name, reqPerSec: 100, p50Ms: 1, p99Ms: 2, idleRssMb: 60, coldStartMs: 50, otherCpuPct: 0, cpuUsPerRequest: 10, ...o });

test('median', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.equal(median([]), null);
});

test('table ratios are against bare', () => {
  const t = table([row('bare'), row('nucleon', { reqPerSec: 95, p99Ms: 2.6, idleRssMb: 75.5 })]).split('\n');
  assert.equal(t.length, 4);
  assert.match(t[3], /^\| nucleon \| 95 \| 0\.95x \| 1\.00 \| 1\.00x \| 2\.60 \| 1\.30x \| 75\.5 \| \+15\.5 \| 50\.0 \|$/);
});

test('goal check: pass, miss, and noise flags', () => {
  const rows = [row('bare'), row('fastify', { reqPerSec: 96 }), row('nucleon', { reqPerSec: 95, p99Ms: 2.7, coldStartMs: 301, idleRssMb: 99 })];
  const c = Object.fromEntries(goalChecks(rows, ['fastify']).map((x) => [x.goal, x.result]));
  assert.equal(c['req/s >= 0.9x bare'], 'PASS');
  assert.equal(c['p99 <= 1.3x bare'], 'MISS');
  assert.equal(c['req/s ahead of every peer'], 'MISS');
  assert.equal(c['cold start <= 300 ms'], 'MISS');
  assert.equal(c['idle RSS <= bare + 40 MB'], 'PASS');
  const noisy = goalChecks([row('bare', { otherCpuPct: 80 }), row('nucleon')], []);
  assert.match(noisy[0].result, /^PASS \(noisy run: bare\)$/);
  assert.match(noisy[2].result, /^SKIP/);
});

test('goal check without Nucleon skips', () => {
  assert.ok(goalChecks([row('bare')], ['fastify']).every((c) => c.result.startsWith('SKIP')));
});

test('paired per-round ratios win over ratios of medians', () => {
  const rows = [row('bare'), row('fastify', { reqPerSec: 120, vsBare: { reqPerSec: 0.8 } }), row('nucleon', { reqPerSec: 90, vsBare: { reqPerSec: 0.95, p99Ms: 1.1, p50Ms: 1, cpuUsPerRequest: 1.05 } })];
  assert.match(table(rows).split('\n')[3], /^\| fastify \| 120 \| 0\.80x \|/);
  const c = Object.fromEntries(goalChecks(rows, ['fastify']).map((x) => [x.goal, x]));
  assert.equal(c['req/s >= 0.9x bare'].value, '0.95x');
  assert.equal(c['req/s ahead of every peer'].result, 'PASS');
  assert.match(c['(info) server CPU per request vs bare'].value, /^1\.05x/);
});

test('the fastify-trigger experiment row is info only: no peer, not in the goal check', async () => {
  const { SERVERS } = await import('../lib/servers.mjs');
  const exp = SERVERS.find((s) => s.name === 'nucleon-fastify');
  assert.equal(exp.peer, false);
  const peers = SERVERS.filter((s) => s.peer).map((s) => s.name);
  const rows = [row('bare'), row('fastify', { reqPerSec: 96 }), row('nucleon', { reqPerSec: 97 }),
    row('nucleon-fastify', { reqPerSec: 50, p99Ms: 9, idleRssMb: 500, coldStartMs: 900 })];
  const c = Object.fromEntries(goalChecks(rows, peers).map((x) => [x.goal, x]));
  assert.equal(c['req/s >= 0.9x bare'].value, '0.97x');
  assert.equal(c['req/s ahead of every peer'].result, 'PASS');
  assert.equal(c['cold start <= 300 ms'].result, 'PASS');
  assert.equal(c['idle RSS <= bare + 40 MB'].result, 'PASS');
});
