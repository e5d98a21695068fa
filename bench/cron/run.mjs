// Cron benchmark: how late each tick's handler starts after its scheduled instant (p50/p99/max),
// for the Nucleon cron trigger (`interval`, and a 6-field `schedule`) against a plain Node
// fixed-rate setTimeout loop doing the same work, same machine, same run. Also the processor's
// CPU per tick (idle cost of a cron trigger). Run through run.sh; knobs in bench/README.md.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, treeCpuMs } from '../http/lib/proc.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const PROCESSOR_MAIN = join(ROOT, 'packages', 'processor', 'dist', 'main.js');
const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const TICKS = Number(env.BENCH_TICKS ?? (QUICK ? 20 : 50));
const INTERVAL_MS = Number(env.BENCH_INTERVAL_MS ?? 100);
const SCHEDULE_TICKS = Number(env.BENCH_SCHEDULE_TICKS ?? (QUICK ? 3 : 10));
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const log = (...a) => process.stderr.write(`bench/cron: ${a.join(' ')}\n`);

/** The handler both sides run: one line per tick, "<scheduled ms> <started ms, 0.01 ms resolution>". */
const HANDLER = `const fs = require('node:fs');
exports.handler = (context, event) => {
  fs.appendFileSync(process.env.SEEN_FILE, event.timestamp.getTime() + ' ' + (performance.timeOrigin + performance.now()).toFixed(2) + '\\n');
  return '';
};`;

/** The baseline: the same append, driven by a plain fixed-rate setTimeout chain in its own process. */
const BASELINE = `const fs = require('node:fs');
const every = Number(process.env.INTERVAL_MS);
let next = Date.now() + every;
const arm = () => setTimeout(() => {
  fs.appendFileSync(process.env.SEEN_FILE, next + ' ' + (performance.timeOrigin + performance.now()).toFixed(2) + '\\n');
  next += every;
  arm();
}, Math.max(0, next - Date.now()));
arm();
process.on('SIGTERM', () => process.exit(0));`;

function lines(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => l.split(' ').map(Number));
  } catch {
    return [];
  }
}

function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Runs one side until `ticks` ticks are recorded; returns lateness per tick (ms) and CPU (ms). */
async function measure(kind, { attributes, ticks, periodMs }) {
  const dir = mkdtempSync(join(tmpdir(), `bench-cron-${kind}-`));
  const seen = join(dir, 'seen.txt');
  let child;
  if (kind === 'plain') {
    writeFileSync(join(dir, 'baseline.js'), BASELINE);
    child = spawn(process.execPath, [join(dir, 'baseline.js')], { env: { ...env, SEEN_FILE: seen, INTERVAL_MS: String(periodMs) }, stdio: 'ignore' });
  } else {
    writeFileSync(join(dir, 'main.js'), HANDLER);
    writeFileSync(join(dir, 'function.yaml'), ['apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', '  name: bench-cron',
      'spec:', '  runtime: nodejs', '  handler: main:handler', '  triggers:', '    tick:', '      kind: cron', '      attributes:',
      ...attributes.map((a) => `        ${a}`), ''].join('\n'));
    const [httpPort, adminPort] = [await freePort(), await freePort()];
    child = spawn(process.execPath, [PROCESSOR_MAIN, '--config', join(dir, 'function.yaml'), '--function-dir', dir], {
      env: { ...env, SEEN_FILE: seen, NUCLEON_HTTP_PORT: String(httpPort), NUCLEON_HTTP_HOST: '127.0.0.1', NUCLEON_ADMIN_PORT: String(adminPort),
        NUCLEON_ADMIN_HOST: '127.0.0.1', NUCLEON_LOG_LEVEL: 'warn' },
      stdio: 'ignore',
    });
  }
  // Measure from the first tick to the last, so start-up CPU is not counted.
  const deadline = Date.now() + (ticks + 5) * periodMs + 20_000;
  while (lines(seen).length < 1 && Date.now() < deadline) await sleep(5);
  const cpu0 = treeCpuMs(child.pid);
  const n0 = lines(seen).length;
  while (lines(seen).length < n0 + ticks && Date.now() < deadline) await sleep(Math.min(50, periodMs / 2));
  const cpu1 = treeCpuMs(child.pid);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const recorded = lines(seen).slice(n0, n0 + ticks);
  rmSync(dir, { recursive: true, force: true });
  if (recorded.length < ticks) throw new Error(`${kind}: only ${recorded.length} of ${ticks} ticks within the time limit`);
  const late = recorded.map(([scheduled, started]) => started - scheduled).sort((a, b) => a - b);
  const gaps = recorded.slice(1).map(([s], i) => s - recorded[i][0]);
  return {
    ticks: recorded.length, p50: +quantile(late, 0.5).toFixed(2), p99: +quantile(late, 0.99).toFixed(2), max: +late.at(-1).toFixed(2), min: late[0],
    regular: gaps.every((g) => g === periodMs), cpuUsPerTick: ((cpu1 - cpu0) * 1000) / ticks,
  };
}

const rows = [
  { name: 'plain-100ms', label: `plain Node setTimeout loop, every ${INTERVAL_MS} ms`, kind: 'plain', ticks: TICKS, periodMs: INTERVAL_MS },
  { name: 'nucleon-interval', label: `Nucleon cron, interval: ${INTERVAL_MS}ms`, kind: 'nucleon', attributes: [`interval: ${INTERVAL_MS}ms`], ticks: TICKS, periodMs: INTERVAL_MS, vs: 'plain-100ms' },
  { name: 'nucleon-schedule-1s', label: 'Nucleon cron, schedule: "*/1 * * * * *" (info)', kind: 'nucleon', attributes: ['schedule: "*/1 * * * * *"'], ticks: SCHEDULE_TICKS, periodMs: 1000 },
];

log(`${TICKS} ticks of ${INTERVAL_MS} ms, ${SCHEDULE_TICKS} ticks of 1 s, ${ROUNDS} round(s), ${cpus().length} CPUs`);
const results = Object.fromEntries(rows.map((r) => [r.name, []]));
for (let round = 1; round <= ROUNDS; round += 1) {
  for (const row of rows) {
    const r = await measure(row.kind, row);
    results[row.name].push(r);
    log(`round ${round} ${row.name}: p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms, cpu ${r.cpuUsPerTick.toFixed(0)} µs/tick${r.regular ? '' : ' (IRREGULAR scheduled times)'}`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log('| row | ticks | late p50 ms | late p99 ms | late max ms | p50 vs plain | CPU µs/tick | scheduled times regular |');
console.log('|---|---|---|---|---|---|---|---|');
for (const row of rows) {
  const rs = results[row.name];
  console.log(`| ${row.label} | ${rs[0].ticks} x ${rs.length} | ${median(rs.map((r) => r.p50))} | ${median(rs.map((r) => r.p99))} | ${Math.max(...rs.map((r) => r.max))} | ${row.vs ? `${(median(rs.map((r) => r.p50)) / median(results[row.vs].map((r) => r.p50))).toFixed(2)}x` : ''} | ${median(rs.map((r) => r.cpuUsPerTick)).toFixed(0)} | ${rs.every((r) => r.regular) ? 'yes' : 'NO'} |`);
}
