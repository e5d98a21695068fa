// Scaler benchmark. For each platform and runtime: deploy a scale-to-zero hello function (which
// starts the scaler), then BENCH_ROUNDS times: `nucleon scale --replicas 0`, wait until the
// scaler's activator holds the port, and time one request from connect to the end of its
// response (the wake: activator -> platform start -> ready -> forwarded). Side by side, the
// same processor started bare (spawn -> first 200, no platform, no activator) shows what the
// scaler adds. Then the hot path once woken: sequential keep-alive requests with the scaler
// running and stopped (the activator is out of the path, so the goal is a ratio of 1.00).
// Usage: bash bench/scaler/run.sh (env BENCH_ROUNDS (10), BENCH_PLATFORMS (local,docker),
// BENCH_RUNTIMES (node,python,go), BENCH_HOT_REQUESTS (2000)). Markdown on stdout, progress on stderr.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'main.js');
const PROCESSOR = join(ROOT, 'packages', 'processor', 'dist', 'main.js');
const CLI_DIR = join(ROOT, 'packages', 'cli');
const env = process.env;
const intEnv = (name, dflt, min, max) => {
  const v = env[name] ? Number(env[name]) : dflt;
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name}=${env[name]}: expected an integer in [${min}, ${max}]`);
  return v;
};
const ROUNDS = intEnv('BENCH_ROUNDS', 10, 1, 50);
const HOT_REQUESTS = intEnv('BENCH_HOT_REQUESTS', 2000, 100, 20000);
const PLATFORMS = (env.BENCH_PLATFORMS ?? 'local,docker').split(',').filter(Boolean);
const RUNTIMES = (env.BENCH_RUNTIMES ?? 'node,python,go').split(',').filter(Boolean);
const log = (msg) => process.stderr.write(`[bench/scaler] ${msg}\n`);
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => { const s = sorted(xs); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const p99 = (xs) => { const s = sorted(xs); return s[Math.min(s.length - 1, Math.ceil(0.99 * s.length) - 1)]; };
const ms = (x) => (x === undefined ? '-' : x.toFixed(0));

function run(args, home) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, env: { ...env, NUCLEON_HOME: home, NUCLEON_LOG_LEVEL: 'warn' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = ''; let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
async function must(args, home) {
  const r = await run(args, home);
  if (r.code !== 0) throw new Error(`nucleon ${args.join(' ')} failed (${r.code}): ${r.stderr.slice(-2000)}`);
  return r;
}

/** One GET on a fresh connection: ms from connect to the end of the response, and the status. */
function timedGet(port, agent) {
  return new Promise((resolve, reject) => {
    const start = now();
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: agent ?? false, timeout: 120_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ ms: now() - start, status: res.statusCode }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
  });
}

async function scalerStatus(home, platform) {
  const record = JSON.parse(readFileSync(join(home, 'scaler', platform, 'scaler.json'), 'utf8'));
  const res = await fetch(`http://127.0.0.1:${record.port}/status`);
  return { record, status: await res.json() };
}

async function waitHolding(home, platform, name) {
  for (let i = 0; i < 600; i++) {
    const { status } = await scalerStatus(home, platform).catch(() => ({ status: { functions: [] } }));
    if (status.functions.some((f) => f.name === name && f.holding)) return;
    await sleep(25);
  }
  throw new Error(`the scaler never held ${name}'s port`);
}

/** Mean phase durations from the scaler's nucleon_scaler_cold_start_seconds. */
async function phases(home, platform, name) {
  const { record } = await scalerStatus(home, platform);
  const text = await (await fetch(`http://127.0.0.1:${record.port}/metrics`)).text();
  const out = {};
  for (const phase of ['decide', 'start', 'ready', 'first_response', 'total']) {
    const sum = Number(text.match(new RegExp(`nucleon_scaler_cold_start_seconds_sum\\{function="${name}",phase="${phase}"\\} ([0-9.e+-]+)`))?.[1]);
    const count = Number(text.match(new RegExp(`nucleon_scaler_cold_start_seconds_count\\{function="${name}",phase="${phase}"\\} ([0-9]+)`))?.[1]);
    out[phase] = count > 0 ? (sum / count) * 1000 : undefined;
  }
  return out;
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

/** The same processor started bare: spawn -> first 200 on its HTTP port (polled every 5 ms). */
async function bareStart(runtime) {
  const dir = join(HERE, 'functions', runtime);
  const [httpPort, adminPort] = [await freePort(), await freePort()];
  const start = now();
  const child = spawn(process.execPath, [PROCESSOR, '--config', join(dir, 'function.yaml'), '--function-dir', dir], {
    cwd: dir, stdio: 'ignore',
    env: { ...env, NUCLEON_HTTP_PORT: String(httpPort), NUCLEON_HTTP_HOST: '127.0.0.1', NUCLEON_ADMIN_PORT: String(adminPort), NUCLEON_PLUGIN_PATHS: CLI_DIR, NUCLEON_LOG_LEVEL: 'warn' },
  });
  try {
    for (;;) {
      const ok = await timedGet(httpPort).then((r) => r.status === 200, () => false);
      if (ok) return now() - start;
      if (now() - start > 60_000) throw new Error(`bare ${runtime} processor never answered`);
      await sleep(5);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

/** Mean µs of sequential keep-alive GETs. */
async function hotPath(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  for (let i = 0; i < 200; i++) await timedGet(port, agent);
  const start = now();
  for (let i = 0; i < HOT_REQUESTS; i++) {
    const r = await timedGet(port, agent);
    if (r.status !== 200) throw new Error(`hot path answered ${r.status}`);
  }
  agent.destroy();
  return ((now() - start) * 1000) / HOT_REQUESTS;
}

async function benchOne(platform, runtime) {
  const home = mkdtempSync(join(os.tmpdir(), 'nucleon-bench-scaler-'));
  const name = `s2z-${runtime}`;
  try {
    log(`${platform}/${runtime}: deploying`);
    await must(['deploy', join(HERE, 'functions', runtime), '--platform', platform], home);
    const fn = JSON.parse((await must(['get', name, '--platform', platform, '-o', 'json'], home)).stdout);
    const port = fn.status.httpPort;
    const wakes = [];
    const bare = [];
    for (let round = 0; round < ROUNDS; round++) {
      await must(['scale', name, '--replicas', '0', '--platform', platform], home);
      await waitHolding(home, platform, name);
      const r = await timedGet(port);
      if (r.status !== 200) throw new Error(`wake answered ${r.status}`);
      wakes.push(r.ms);
      // Side by side: a bare start of the same processor, alternated with the wakes.
      bare.push(await bareStart(runtime));
      log(`${platform}/${runtime}: round ${round + 1}: wake ${ms(r.ms)} ms, bare start ${ms(bare.at(-1))} ms`);
    }
    const split = await phases(home, platform, name);
    // Alternated, twice each: the scaler running (the function woken, the activator off its port) and stopped.
    const withScaler = [];
    const withoutScaler = [];
    for (let block = 0; block < 2; block++) {
      withScaler.push(await hotPath(port));
      await must(['scaler', 'stop', '--platform', platform], home);
      withoutScaler.push(await hotPath(port));
      if (block === 0) await must(['scaler', 'start', '--platform', platform], home);
    }
    return { platform, runtime, wakes, bare, split, withScaler: median(withScaler), withoutScaler: median(withoutScaler) };
  } finally {
    await run(['scaler', 'stop', '--platform', platform], home);
    await run(['delete', name, '--platform', platform], home);
    rmSync(home, { recursive: true, force: true });
  }
}

const results = [];
for (const platform of PLATFORMS) {
  for (const runtime of RUNTIMES) results.push(await benchOne(platform, runtime));
}

const lines = [];
lines.push(`Scaler: wake from zero, ${ROUNDS} wakes each (${os.cpus().length} CPUs, ${new Date().toISOString().slice(0, 10)})`, '');
lines.push('| platform | runtime | wake median ms | wake p99 ms | bare start median ms | wake / bare | decide | start | ready | first response | goal <= 1000 ms |');
lines.push('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
for (const r of results) {
  const goal = r.runtime === 'go' ? '-' : median(r.wakes) <= 1000 ? 'MET' : 'MISS';
  lines.push(`| ${r.platform} | ${r.runtime} | ${ms(median(r.wakes))} | ${ms(p99(r.wakes))} | ${ms(median(r.bare))} | ${(median(r.wakes) / median(r.bare)).toFixed(2)}x | ` +
    `${ms(r.split.decide)} | ${ms(r.split.start)} | ${ms(r.split.ready)} | ${ms(r.split.first_response)} | ${goal} |`);
}
lines.push('', 'Hot path once woken (sequential keep-alive GETs, mean µs per request; two blocks each, alternated):', '');
lines.push('| platform | runtime | scaler running | scaler stopped | ratio |', '| --- | --- | ---: | ---: | ---: |');
for (const r of results) lines.push(`| ${r.platform} | ${r.runtime} | ${r.withScaler.toFixed(0)} | ${r.withoutScaler.toFixed(0)} | ${(r.withScaler / r.withoutScaler).toFixed(2)} |`);
process.stdout.write(`${lines.join('\n')}\n`);
