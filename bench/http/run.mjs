// HTTP benchmark runner: same load generator, same machine, same run, one server at a time.
// Usage: bash bench/http/run.sh  (env: BENCH_DURATION, BENCH_QUICK, BENCH_ROUNDS, BENCH_SERVERS,
// BENCH_PROFILE; see bench/README.md). Markdown goes to stdout, progress to stderr.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, get, machineBusyMs, selfAndChildrenCpuMs, startServer, stopServer, treeCpuMs, treeRssKb, waitFor200, warm } from './lib/proc.mjs';
import { goalChecks, goalTable, median, table } from './lib/report.mjs';
import { REPO_ROOT, SERVERS } from './lib/servers.mjs';
import { runWrk, wrkVersion } from './lib/wrk.mjs';
import { isClean } from './parse-wrk.mjs';
import { profileServers } from './lib/profile.mjs';

const env = process.env;
const quick = env.BENCH_QUICK === '1';
const intEnv = (name, dflt, min, max) => {
  const v = env[name] === undefined || env[name] === '' ? dflt : Number(env[name]);
  if (!Number.isFinite(v) || v < min || v > max) throw new Error(`${name}=${env[name]}: expected a number in [${min}, ${max}]`);
  return v;
};
const config = {
  durationS: intEnv('BENCH_DURATION', quick ? 2 : 8, 1, 300),
  warmupS: intEnv('BENCH_WARMUP', quick ? 1 : 2, 0, 60),
  threads: intEnv('BENCH_THREADS', 1, 1, 16),
  connections: intEnv('BENCH_CONNECTIONS', 50, 1, 1000),
  rounds: intEnv('BENCH_ROUNDS', 1, 1, 10),
  coldStarts: intEnv('BENCH_COLD_STARTS', 5, 1, 20),
  quietWaitS: intEnv('BENCH_QUIET_WAIT', quick ? 5 : 20, 0, 300), // wait at most this long for a quiet machine
  quietPct: 25, // "quiet": other processes use at most this % of one core
  noisyRetries: intEnv('BENCH_NOISY_RETRIES', quick ? 0 : 2, 0, 5),
  warmRequests: 100,
  idleMs: 1000,
  quick,
};
const log = (msg) => process.stderr.write(`[bench/http] ${msg}\n`);

const wanted = env.BENCH_SERVERS ? new Set(['bare', ...env.BENCH_SERVERS.split(',').map((s) => s.trim())]) : null;
const servers = SERVERS.filter((s) => !wanted || wanted.has(s.name));
const peers = SERVERS.filter((s) => s.peer).map((s) => s.name);

async function portsFor(spec) {
  const http = await freePort();
  let admin = null;
  while (spec.needsAdminPort && (admin === null || admin === http)) admin = await freePort();
  return { http, admin };
}

/**
 * Other people's builds and tests share these 2 cores. Before a measurement, wait (bounded) for
 * a 500 ms window in which the machine, minus this runner and its server, is nearly idle.
 */
async function waitQuiet(serverPid) {
  const limitMs = config.quietWaitS * 1000;
  const t0 = Date.now();
  let pct = 0;
  do {
    const [m0, s0, c0] = [machineBusyMs(), selfAndChildrenCpuMs(), serverPid ? treeCpuMs(serverPid) : 0];
    await sleep(500);
    const [m1, s1, c1] = [machineBusyMs(), selfAndChildrenCpuMs(), serverPid ? treeCpuMs(serverPid) : 0];
    pct = (100 * Math.max(0, m1 - m0 - (s1 - s0) - (c1 - c0))) / 500;
    if (pct <= config.quietPct) break;
  } while (Date.now() - t0 < limitMs);
  const waitedMs = Date.now() - t0;
  if (pct > config.quietPct) log(`  machine still busy (other ${pct.toFixed(0)}% of a core) after ${config.quietWaitS} s; measuring anyway`);
  else if (waitedMs > 1000) log(`  waited ${(waitedMs / 1000).toFixed(1)} s for the machine to calm down`);
  return { waitedMs, otherPct: pct };
}

async function coldStart(spec) {
  const h = startServer(spec, await portsFor(spec));
  try {
    return await waitFor200(h);
  } finally {
    await stopServer(h);
  }
}

/** One measured wrk run, with the CPU the server, wrk and everything else used meanwhile. */
async function measure(h) {
  const [cpu0, mine0, machine0] = [treeCpuMs(h.pid), selfAndChildrenCpuMs(), machineBusyMs()];
  const wrk = await runWrk(h.ports.http, { threads: config.threads, connections: config.connections, seconds: config.durationS });
  const [cpuMs, mineMs, machineMs] = [treeCpuMs(h.pid) - cpu0, selfAndChildrenCpuMs() - mine0, machineBusyMs() - machine0];
  const pct = (ms) => (100 * ms) / wrk.durationMs;
  return {
    wrk,
    serverCpu: { ms: cpuMs, pctOfOneCore: pct(cpuMs), usPerRequest: (1000 * cpuMs) / wrk.requests },
    loadGenCpuPct: pct(mineMs),
    // whatever else ran on the machine meanwhile (other people's builds, tests): the noise gauge
    otherCpuPct: Math.max(0, pct(machineMs - cpuMs - mineMs)),
  };
}

async function loadRun(spec) {
  const h = startServer(spec, await portsFor(spec));
  try {
    const readyMs = await waitFor200(h);
    const run = { readyMs, pid: h.pid };
    if (spec.needsAdminPort) {
      run.adminReady = await get(h.ports.admin, '/ready').then((r) => r.status, (e) => e.code ?? e.message);
    }
    await warm(h.ports.http, config.warmRequests);
    await sleep(config.idleMs);
    Object.assign(run, { idle: treeRssKb(h.pid) });
    if (config.warmupS > 0) {
      const w = await runWrk(h.ports.http, { threads: config.threads, connections: config.connections, seconds: config.warmupS, latency: false });
      run.warmup = { reqPerSec: w.reqPerSec, clean: isClean(w) };
    }
    // A measured run during which other processes took more than quietPct of a core is
    // repeated (at most noisyRetries times, server kept warm); the quietest attempt counts.
    run.attempts = [];
    for (let attempt = 0; attempt <= config.noisyRetries; attempt++) {
      const quiet = await waitQuiet(h.pid);
      const a = await measure(h);
      a.quiet = quiet;
      run.attempts.push(a);
      if (a.otherCpuPct <= config.quietPct) break;
      if (attempt < config.noisyRetries) log(`  ${spec.name}: other processes took ${a.otherCpuPct.toFixed(0)}% of a core during the run; measuring again`);
    }
    const best = run.attempts.reduce((x, y) => (y.otherCpuPct < x.otherCpuPct ? y : x));
    const { wrk, ...rest } = best;
    Object.assign(run, rest);
    run.afterLoad = treeRssKb(h.pid);
    run.wrk = wrk;
    run.clean = run.attempts.every((a) => isClean(a.wrk));
    for (const a of run.attempts) a.wrk = { reqPerSec: a.wrk.reqPerSec, latency: a.wrk.latency, clean: isClean(a.wrk) };
    if (!run.clean) log(`  ${spec.name}: wrk saw errors: ${JSON.stringify(wrk.socketErrors)}, non-2xx/3xx ${wrk.non2xx3xx}`);
    if (h.exit) throw new Error(`${spec.name} exited during the run: ${JSON.stringify(h.exit)}\n${h.output}`);
    return run;
  } finally {
    const exit = await stopServer(h);
    if (h.output.trim()) log(`  ${spec.name} output (tail): ${h.output.trim().split('\n').slice(-3).join(' | ')}`);
    void exit;
  }
}

async function main() {
  const started = new Date();
  const meta = {
    startedAt: started.toISOString(),
    node: process.version,
    wrk: await wrkVersion(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? null,
    loadavgBefore: os.loadavg(),
    config,
  };
  log(`node ${meta.node}, wrk ${meta.wrk}, ${meta.cpus} cpus, load ${meta.loadavgBefore.map((l) => l.toFixed(2)).join(' ')}`);

  if (env.BENCH_PROFILE === '1') {
    await profileServers(servers, { ...config, durationS: intEnv('BENCH_DURATION', quick ? 2 : 5, 1, 300) }, { log, portsFor, meta, started });
    return 0;
  }

  const results = {};
  for (const spec of servers) {
    results[spec.name] = { label: spec.label, version: spec.version(), coldStartsMs: [], runs: [], error: null };
    if (spec.available && !spec.available()) results[spec.name].error = spec.missing ?? 'not built';
  }

  for (let round = 1; round <= config.rounds; round++) {
    const order = round % 2 ? servers : [...servers].reverse(); // alternate order against drift
    for (const spec of order) {
      const r = results[spec.name];
      if (r.error) continue;
      try {
        if (round === 1) {
          await waitQuiet(0);
          for (let i = 0; i < config.coldStarts; i++) r.coldStartsMs.push(await coldStart(spec));
          log(`${spec.name}: cold starts ${r.coldStartsMs.map((x) => x.toFixed(0)).join(', ')} ms`);
        }
        const run = await loadRun(spec);
        r.runs.push(run);
        log(`${spec.name}${config.rounds > 1 ? ` (round ${round})` : ''}: ${Math.round(run.wrk.reqPerSec)} req/s, p50 ${run.wrk.latency.p50Ms} ms, p99 ${run.wrk.latency.p99Ms} ms, idle RSS ${(run.idle.rssKb / 1024).toFixed(1)} MB`);
      } catch (err) {
        r.error = err.message;
        log(`${spec.name}: FAILED: ${err.message}`);
      }
    }
  }

  const rows = servers.map((spec) => {
    const r = results[spec.name];
    const m = (f) => median(r.runs.map(f));
    Object.assign(r, {
      reqPerSec: m((x) => x.wrk.reqPerSec),
      p50Ms: m((x) => x.wrk.latency.p50Ms),
      p99Ms: m((x) => x.wrk.latency.p99Ms),
      idleRssMb: m((x) => x.idle.rssKb / 1024),
      coldStartMs: median(r.coldStartsMs),
      clean: r.runs.every((x) => x.clean),
      serverCpuPct: m((x) => x.serverCpu.pctOfOneCore),
      cpuUsPerRequest: m((x) => x.serverCpu.usPerRequest),
      loadGenCpuPct: m((x) => x.loadGenCpuPct),
      otherCpuPct: m((x) => x.otherCpuPct),
    });
    return { name: spec.name, ...r };
  });
  // With several rounds, ×bare is the median of per-round ratios (each server against the bare
  // run of the same round), which cancels slow drift in the machine's speed.
  const bareRuns = results.bare?.runs ?? [];
  if (config.rounds > 1 && bareRuns.length === config.rounds) {
    for (const row of rows) {
      if (row.error || row.runs.length !== config.rounds) continue;
      const paired = (f) => median(row.runs.map((x, i) => f(x) / f(bareRuns[i])));
      row.vsBare = {
        reqPerSec: paired((x) => x.wrk.reqPerSec),
        p50Ms: paired((x) => x.wrk.latency.p50Ms),
        p99Ms: paired((x) => x.wrk.latency.p99Ms),
        cpuUsPerRequest: paired((x) => x.serverCpu.usPerRequest),
      };
      results[row.name].vsBare = row.vsBare;
    }
  }
  const checks = goalChecks(rows, peers.filter((p) => servers.some((s) => s.name === p)), config.quietPct);

  const title = `## HTTP hello: wrk -t${config.threads} -c${config.connections} -d${config.durationS}s, loopback, ${meta.cpus} cpus, node ${meta.node}${config.rounds > 1 ? `, median of ${config.rounds} rounds (×bare: median of per-round ratios)` : ''}`;
  const out = [
    title,
    '',
    table(rows),
    '',
    `Ratios are against node:http (bare) in this same run; cold start is the median of ${config.coldStarts} spawns to the first 200; idle RSS is the server's process tree after ${config.warmRequests} requests and ${config.idleMs} ms idle.`,
  ];
  const ran = rows.filter((r) => !r.error);
  out.push('', 'CPU during each measured run, in % of one core: the server (and its CPU µs per request), wrk, and everything else on the machine (noise):', '');
  out.push(...ran.map((r) => `- ${r.label}: server ${r.serverCpuPct.toFixed(0)}% (${r.cpuUsPerRequest.toFixed(1)} µs/req), wrk ${r.loadGenCpuPct.toFixed(0)}%, other ${r.otherCpuPct.toFixed(0)}%`));
  const noisy = ran.filter((r) => r.otherCpuPct > config.quietPct);
  if (noisy.length) {
    out.push('', `**Note:** other processes used more than ${config.quietPct}% of a core (even after retries) during the runs of ${noisy.map((r) => r.label).join(', ')}; on 2 cores that takes time from the server or wrk, so treat these ratios with care and rerun (BENCH_ROUNDS=3 interleaves rounds and takes medians).`);
  }
  const dirty = rows.filter((r) => !r.error && !r.clean).map((r) => r.label);
  if (dirty.length) out.push('', `**Warning:** wrk saw socket errors or non-2xx responses for: ${dirty.join(', ')} (see the JSON).`);
  out.push('', '## Goal check (Nucleon)', '', goalTable(checks), '');
  process.stdout.write(`${out.join('\n')}\n`);

  meta.loadavgAfter = os.loadavg();
  meta.finishedAt = new Date().toISOString();
  const dir = env.BENCH_RESULTS_DIR ?? join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `http-${started.toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ bench: 'http', meta, results, goals: checks }, null, 2)}\n`);
  log(`raw results: ${file}`);

  const failed = rows.filter((r) => r.error && !r.error.startsWith('not built'));
  return failed.length ? 1 : 0;
}

main().then((code) => { process.exitCode = code; }, (err) => {
  log(`error: ${err.stack ?? err}`);
  process.exitCode = 1;
});
