// Runtime benchmark: Python, Go, .NET and shell hello handlers through the processor's HTTP trigger,
// each next to a minimal loop in the same language speaking the same socket protocol (its
// ceiling), in the same run; plus Python async and sync with per-worker vs shared wrappers.
// Reuses bench/http's modules (process handling, wrk runner and parser). Markdown to stdout.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, machineBusyMs, selfAndChildrenCpuMs, startServer, stopServer, treeCpuMs, waitFor200, warm } from '../http/lib/proc.mjs';
import { median } from '../http/lib/report.mjs';
import { PROCESSOR_MAIN, REPO_ROOT } from '../http/lib/servers.mjs';
import { runWrk, wrkVersion } from '../http/lib/wrk.mjs';
import { isClean } from '../http/parse-wrk.mjs';
import { coldStartReport } from './cold-start.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const quick = env.BENCH_QUICK === '1';
const num = (name, dflt) => (env[name] ? Number(env[name]) : dflt);
const config = {
  durationS: num('BENCH_DURATION', quick ? 2 : 5), warmupS: num('BENCH_WARMUP', quick ? 1 : 2),
  connections: num('BENCH_CONNECTIONS', 50), rounds: num('BENCH_ROUNDS', quick ? 1 : 3), quietPct: 25, quietWaitS: quick ? 3 : 15,
};
const GOAL = 0.8;
const log = (msg) => process.stderr.write(`[bench/runtimes] ${msg}\n`);

const processor = (fn, extraEnv = {}) => () => ({ needsAdminPort: true, command: (p) => ({
  args: [PROCESSOR_MAIN, '--config', join(HERE, 'functions', fn, 'function.yaml'), '--function-dir', join(HERE, 'functions', fn)],
  env: { NUCLEON_HTTP_PORT: String(p.http), NUCLEON_HTTP_HOST: '127.0.0.1', NUCLEON_ADMIN_PORT: String(p.admin), NUCLEON_ADMIN_HOST: '127.0.0.1', NUCLEON_LOG_LEVEL: 'warn', ...extraEnv },
  cwd: REPO_ROOT,
}) });
const shellCeiling = () => ({ command: (p) => ({
  args: [join(HERE, 'ceilings', 'shell_server.mjs')],
  env: { PORT: String(p.http), HOST: '127.0.0.1', SHELL_SCRIPT: join(HERE, 'functions', 'shell-hello', 'hello.sh'), SHELL_CONCURRENCY: '1', SHELL_CWD: join(HERE, 'functions', 'shell-hello') },
  cwd: HERE,
}) });

// Each group runs its rows back to back; `ceiling` names the row a ratio is taken against.
const ROWS = [
  { name: 'py-ceiling', group: 'python', label: 'Python ceiling (python_loop.py, 1 worker)', short: 'Python ceiling', spec: processor('py-ceiling') },
  { name: 'py-hello', group: 'python', label: 'Python hello, sync (1 worker)', spec: processor('py-hello'), ceiling: 'py-ceiling', goal: true },
  { name: 'go-ceiling', group: 'go', label: 'Go ceiling (go_loop, 1 worker)', short: 'Go ceiling', spec: processor('go-ceiling') },
  { name: 'go-hello', group: 'go', label: 'Go hello (1 worker)', spec: processor('go-hello'), ceiling: 'go-ceiling', goal: true, startTimeoutMs: 180_000 },
  { name: 'dotnet-ceiling', group: 'dotnet', label: 'C# ceiling (cs_loop.exe on Mono, 1 worker)', short: 'C# ceiling', spec: processor('dotnet-ceiling') },
  { name: 'dotnet-hello', group: 'dotnet', label: '.NET hello on Mono (1 worker)', spec: processor('dotnet-hello'), ceiling: 'dotnet-ceiling', goal: true, startTimeoutMs: 120_000 },
  { name: 'shell-ceiling', group: 'shell', label: 'shell ceiling (node:http + spawn per request, 1 at a time)', short: 'shell ceiling', spec: shellCeiling, expect: 'hello\n' },
  { name: 'shell-hello', group: 'shell', label: 'shell hello (1 worker)', spec: processor('shell-hello'), ceiling: 'shell-ceiling', goal: true, expect: 'hello\n' },
  { name: 'py-sync-w2', group: 'sync2', label: 'Python sync, 2 workers, per-worker wrappers', short: 'sync, 2 per-worker', spec: processor('py-sync-w2') },
  { name: 'py-sync-shared-w2', group: 'sync2', label: 'Python sync, 2 workers, one shared wrapper', spec: processor('py-sync-shared-w2'), ceiling: 'py-sync-w2' },
  { name: 'py-async-w4', group: 'async', label: 'Python async (5 ms sleep), 4 workers, per-worker wrappers', short: 'async, 4 per-worker', spec: processor('py-async-w4') },
  { name: 'py-async-shared-w4', group: 'async', label: 'Python async (5 ms sleep), 4 workers, one shared wrapper', spec: processor('py-async-shared-w4'), ceiling: 'py-async-w4' },
  { name: 'py-async-shared-w32', group: 'async', label: 'Python async (5 ms sleep), 32 workers, one shared wrapper', spec: processor('py-async-shared-w32'), ceiling: 'py-async-w4' },
];
const wanted = env.BENCH_ROWS ? new Set(env.BENCH_ROWS.split(',')) : null;
const rows = ROWS.filter((r) => !wanted || wanted.has(r.name) || wanted.has(r.group));

/** The server tree's CPU (bench/http's treeCpuMs) plus its reaped children's (the shell runtime's per-event scripts), ms. */
function serverCpuMs(pid) {
  let reaped = 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    reaped = (Number(f[13]) + Number(f[14])) * 10; // cutime, cstime
  } catch { /* exited */ }
  return treeCpuMs(pid) + reaped;
}

async function waitQuiet(pid) {
  const t0 = Date.now();
  let pct;
  do {
    const a = [machineBusyMs(), selfAndChildrenCpuMs(), serverCpuMs(pid)];
    await sleep(500);
    pct = (100 * Math.max(0, machineBusyMs() - a[0] - (selfAndChildrenCpuMs() - a[1]) - (serverCpuMs(pid) - a[2]))) / 500;
  } while (pct > config.quietPct && Date.now() - t0 < config.quietWaitS * 1000);
  return pct;
}

async function loadRun(row) {
  const spec = { name: row.name, ...row.spec() };
  const ports = { http: await freePort(), admin: null };
  while (spec.needsAdminPort && (ports.admin === null || ports.admin === ports.http)) ports.admin = await freePort();
  const h = startServer(spec, ports);
  try {
    const readyMs = await waitFor200(h, { expect: row.expect ?? 'hello', timeoutMs: row.startTimeoutMs ?? 30_000 });
    await warm(ports.http, 100);
    if (config.warmupS > 0) await runWrk(ports.http, { connections: config.connections, seconds: config.warmupS, latency: false });
    const quietPct = await waitQuiet(h.pid);
    const [cpu0, mine0, machine0] = [serverCpuMs(h.pid), selfAndChildrenCpuMs(), machineBusyMs()];
    const wrk = await runWrk(ports.http, { connections: config.connections, seconds: config.durationS });
    const [cpuMs, mineMs, machineMs] = [serverCpuMs(h.pid) - cpu0, selfAndChildrenCpuMs() - mine0, machineBusyMs() - machine0];
    if (h.exit) throw new Error(`exited during the run: ${JSON.stringify(h.exit)}\n${h.output}`);
    const pct = (ms) => (100 * ms) / wrk.durationMs;
    return {
      readyMs, quietPct, clean: isClean(wrk), reqPerSec: wrk.reqPerSec, p50Ms: wrk.latency.p50Ms, p99Ms: wrk.latency.p99Ms,
      serverCpuPct: pct(cpuMs), cpuUsPerRequest: (1000 * cpuMs) / wrk.requests, wrkCpuPct: pct(mineMs),
      otherCpuPct: Math.max(0, pct(machineMs - cpuMs - mineMs)), wrk: { args: wrk.args, requests: wrk.requests, socketErrors: wrk.socketErrors, non2xx3xx: wrk.non2xx3xx },
    };
  } finally {
    await stopServer(h);
  }
}

const f = (n, d = 0) => (n == null || !Number.isFinite(n) ? '-' : n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }));

async function main() {
  const started = new Date();
  const meta = { startedAt: started.toISOString(), node: process.version, wrk: await wrkVersion(), cpus: os.cpus().length, loadavgBefore: os.loadavg(), config };
  const results = Object.fromEntries(rows.map((r) => [r.name, { label: r.label, ceiling: r.ceiling ?? null, runs: [], error: null }]));
  for (let round = 1; round <= config.rounds; round++) {
    for (const row of round % 2 ? rows : [...rows].reverse()) {
      const res = results[row.name];
      if (res.error) continue;
      try {
        const run = await loadRun(row);
        res.runs.push(run);
        log(`${row.name}: ${Math.round(run.reqPerSec)} req/s, p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms, ${run.cpuUsPerRequest.toFixed(0)} µs/req, other ${run.otherCpuPct.toFixed(0)}%`);
      } catch (err) {
        res.error = err.message;
        log(`${row.name}: FAILED: ${err.message}`);
      }
    }
  }
  for (const [name, r] of Object.entries(results)) {
    for (const k of ['reqPerSec', 'p50Ms', 'p99Ms', 'cpuUsPerRequest', 'otherCpuPct']) r[k] = median(r.runs.map((x) => x[k]));
    r.clean = r.runs.every((x) => x.clean);
    const c = r.ceiling && results[r.ceiling];
    // with several rounds: the median of per-round ratios (rows run next to their ceiling)
    r.ratio = c && !c.error && !r.error ? median(r.runs.map((x, i) => x.reqPerSec / c.runs[i]?.reqPerSec)) : null;
    void name;
  }
  const out = [
    `## Runtimes through the HTTP trigger: wrk -t1 -c${config.connections} -d${config.durationS}s, loopback, ${meta.cpus} cpus, node ${meta.node}${config.rounds > 1 ? `, median of ${config.rounds} rounds` : ''}`,
    '',
    '| row | req/s | p50 ms | p99 ms | server CPU µs/req | ratio | vs |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const row of rows) {
    const r = results[row.name];
    if (r.error) { out.push(`| ${r.label} | failed: ${r.error.split('\n')[0].slice(0, 100)} | | | | | |`); continue; }
    out.push(`| ${r.label} | ${f(r.reqPerSec)} | ${f(r.p50Ms, 2)} | ${f(r.p99Ms, 2)} | ${f(r.cpuUsPerRequest)} | ${r.ratio == null ? '' : `${r.ratio.toFixed(2)}x`} | ${r.ceiling ? ROWS.find((x) => x.name === r.ceiling).short : ''} |`);
  }
  const noisy = rows.filter((r) => results[r.name].otherCpuPct > config.quietPct).map((r) => r.name);
  const dirty = rows.filter((r) => !results[r.name].error && !results[r.name].clean).map((r) => r.name);
  out.push('', 'Server CPU is the processor plus its wrapper (or script) children, summed over the process tree. Ratio: req/s over the row named in "vs", measured in this run.');
  if (noisy.length) out.push('', `**Note:** other processes took more than ${config.quietPct}% of a core during: ${noisy.join(', ')}; rerun those.`);
  if (dirty.length) out.push('', `**Warning:** wrk saw socket errors or non-2xx responses for: ${dirty.join(', ')} (see the JSON).`);
  const goals = rows.filter((r) => r.goal).map((r) => ({ row: r.name, ratio: results[r.name].ratio, pass: results[r.name].ratio != null && results[r.name].ratio >= GOAL }));
  out.push('', `## Goal check: req/s >= ${GOAL}x of the same-language ceiling`, '', '| runtime | ratio | goal |', '| --- | ---: | --- |');
  for (const g of goals) out.push(`| ${results[g.row].label} | ${g.ratio == null ? '-' : `${g.ratio.toFixed(2)}x`} | ${g.ratio == null ? 'not measured' : g.pass ? 'pass' : 'FAIL'} |`);
  // Cold start per runtime (Node, Python, Go; Nuclio's processor beside it when NUCLIO_PROCESSOR is set): group `coldstart`.
  const coldStart = !wanted || wanted.has('coldstart') ? await coldStartReport({ starts: num('BENCH_COLD_STARTS', quick ? 3 : 5) }) : null;
  if (coldStart) out.push('', coldStart.markdown);
  process.stdout.write(`${out.join('\n')}\n`);
  meta.loadavgAfter = os.loadavg();
  const dir = env.BENCH_RESULTS_DIR ?? join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `runtimes-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ bench: 'runtimes', meta, results, goals, coldStart: coldStart?.rows ?? null }, null, 2)}\n`);
  log(`raw results: ${file}`);
  return Object.values(results).some((r) => r.error) || coldStart?.rows.some((r) => r.error && r.side !== 'Nuclio') ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => { log(`error: ${err.stack ?? err}`); process.exitCode = 1; });
