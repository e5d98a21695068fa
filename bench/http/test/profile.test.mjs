// Unit test of the profile summaries (BENCH_PROFILE=1): `node --test bench/http/test/*.test.mjs`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summarize } from '../lib/profile.mjs';
import { parsePerfReport } from '../lib/perf.mjs';

test('cpuprofile self time, by function and area, within the load window', () => {
  const frame = (id, functionName, url = '', lineNumber = -1) => ({ id, callFrame: { functionName, url, lineNumber }, children: [] });
  const profile = {
    nodes: [frame(1, '(root)'), frame(2, '(idle)'), frame(3, 'send', 'file:///repo/packages/trigger-http/dist/index.js', 9),
      frame(4, 'parserOnIncoming', 'node:_http_server', 1166), frame(5, 'writeUtf8String')],
    startTime: 1000,
    samples: [3, 3, 4, 5, 2, 3],
    timeDeltas: [100, 100, 100, 100, 100, 100], // sample times 1100 .. 1600
  };
  const s = summarize(profile, { fromUs: 1150, toUs: 1550 }); // samples 2..5 (ids 3, 4, 5, 2)
  assert.equal(s.totalMs, 0.4);
  assert.equal(s.idleMs, 0.1);
  assert.deepEqual(s.areas.map((a) => a.name).sort(), ['(native: V8 builtins / C++)', 'node core', 'nucleon: trigger-http']);
  assert.deepEqual(s.jsFunctions.map((f) => f.name).sort(), ['parserOnIncoming node:_http_server:1167', 'send /repo/packages/trigger-http/dist/index.js:10']);
});

test('perf report lines, by area', () => {
  const r = parsePerfReport([
    '# comment',
    '     8.06%  [kernel.kallsyms]     [k] _raw_spin_unlock_irqrestore',
    '     3.50%  node                  [.] Builtins_LoadIC',
    '     0.90%  [JIT] tid 12457       [.] JS:*\'parserOnIncoming node:_http_server:1167:26',
    '     0.37%  [JIT] tid 12457       [.] JS:*\'inc /w/node_modules/.pnpm/prom-client@15.1.3/node_modules/prom-client/lib/counter.js:40:20',
    '     0.30%  [JIT] tid 12457       [.] JS:*\'send /w/packages/trigger-http/dist/index.js:238:3',
    '     0.71%  node                  [.] llhttp__internal__run',
  ].join('\n'));
  const area = Object.fromEntries(r.areas.map((a) => [a.name, a.pct]));
  assert.equal(area['kernel (syscalls, loopback TCP)'], 8.06);
  assert.equal(area['V8 builtins (ICs, interpreter)'], 3.5);
  assert.equal(area['JS: node core'], 0.9);
  assert.equal(area['JS: npm prom-client'], 0.37);
  assert.equal(area['JS: nucleon trigger-http'], 0.3);
  assert.equal(area['llhttp (HTTP parser)'], 0.71);
});
