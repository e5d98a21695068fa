// Dashboard benchmark. Starts `nucleon dashboard` on the local platform (its own NUCLEON_HOME),
// deploys BENCH_FUNCTIONS functions through its API (each scaled to zero once ready, so one
// processor runs at a time while the records pile up), then times GET /api/functions and
// GET /api/functions/<name> (BENCH_REQUESTS sequential keep-alive requests each; p50/p99), and
// loads the UI in headless Chromium: time from navigation to the functions list shown after
// login, and bytes transferred (the JS gzipped on the wire, all responses).
// Usage: bash bench/dashboard/run.sh. Markdown on stdout, progress on stderr.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'main.js');
const { chromium } = createRequire(join(ROOT, 'packages', 'dashboard', 'package.json'))('playwright-core');
const intEnv = (name, dflt, min, max) => {
  const v = process.env[name] ? Number(process.env[name]) : dflt;
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name}=${process.env[name]}: expected an integer in [${min}, ${max}]`);
  return v;
};
const FUNCTIONS = intEnv('BENCH_FUNCTIONS', 200, 1, 500);
const REQUESTS = intEnv('BENCH_REQUESTS', 200, 10, 5000);
const PAGE_LOADS = intEnv('BENCH_PAGE_LOADS', 5, 1, 20);
const log = (msg) => process.stderr.write(`[bench/dashboard] ${msg}\n`);
const sorted = (xs) => [...xs].sort((a, b) => a - b);
const pct = (xs, p) => { const s = sorted(xs); return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]; };
const TOKEN = 'bench-token-0123456789abcdef';
const auth = { authorization: `Bearer ${TOKEN}` };

const freePort = () => new Promise((resolve, reject) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
  server.on('error', reject);
});

const home = mkdtempSync(join(os.tmpdir(), 'nucleon-bench-dashboard-'));
const env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DASHBOARD_TOKEN: TOKEN };
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const dashboard = spawn(process.execPath, [CLI, 'dashboard', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
let names = [];
try {
  await new Promise((resolve, reject) => {
    let out = '';
    dashboard.stdout.on('data', (d) => { out += d; if (out.includes('dashboard on')) resolve(); });
    dashboard.once('exit', (code) => reject(new Error(`dashboard exited ${code}`)));
  });
  log(`dashboard on ${base}; deploying ${FUNCTIONS} functions`);
  const template = (await (await fetch(`${base}/api/function_templates`, { headers: auth })).json()).find((t) => t.runtime === 'nodejs' || t.configuration?.spec?.runtime === 'nodejs');
  for (let i = 0; i < FUNCTIONS; i += 1) {
    const name = `bench-${String(i).padStart(3, '0')}`;
    const body = { metadata: { name }, spec: template.configuration.spec };
    const created = await fetch(`${base}/api/functions`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (created.status !== 202) throw new Error(`deploy ${name}: ${created.status} ${await created.text()}`);
    const events = await (await fetch(`${base}/api/functions/${name}/deployment`, { headers: auth })).text();
    if (!events.includes('event: done')) throw new Error(`deploy ${name} did not finish: ${events.slice(-400)}`);
    execFileSync(process.execPath, [CLI, 'scale', name, '--replicas', '0'], { env, stdio: 'ignore' });
    names.push(name);
    if ((i + 1) % 20 === 0) log(`${i + 1}/${FUNCTIONS} deployed and scaled to zero`);
  }

  const time = async (path) => {
    const samples = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const start = performance.now();
      const res = await fetch(`${base}${path}`, { headers: auth });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
      samples.push(performance.now() - start);
    }
    return samples;
  };
  log(`timing list and get, ${REQUESTS} requests each`);
  const list = await time('/api/functions');
  const get = await time(`/api/functions/${names[Math.floor(names.length / 2)]}`);

  log(`loading the UI ${PAGE_LOADS} times in headless Chromium`);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  const loads = [];
  let bytes = { js: 0, all: 0 };
  try {
    for (let i = 0; i < PAGE_LOADS; i += 1) {
      const context = await browser.newContext();
      await context.addInitScript((token) => sessionStorage.setItem('nucleon.token', token), TOKEN);
      const page = await context.newPage();
      const sizes = [];
      page.on('requestfinished', (request) => sizes.push(request.sizes().then((s) => ({ url: request.url(), bytes: s.responseBodySize + s.responseHeadersSize }))));
      const start = performance.now();
      await page.goto(`${base}/#/functions`);
      await page.waitForSelector('[data-testid^="function-row-"]', { timeout: 30_000 });
      loads.push(performance.now() - start);
      const all = await Promise.all(sizes);
      bytes = { js: all.filter((s) => s.url.endsWith('.js')).reduce((n, s) => n + s.bytes, 0), all: all.reduce((n, s) => n + s.bytes, 0) };
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const row = (label, xs) => `| ${label} | ${pct(xs, 0.5).toFixed(1)} | ${pct(xs, 0.99).toFixed(1)} |`;
  process.stdout.write([
    `## Dashboard API, ${FUNCTIONS} functions on the local platform (scaled to zero), ${REQUESTS} sequential requests`,
    '', '| request | p50 ms | p99 ms |', '| --- | ---: | ---: |', row('GET /api/functions', list), row('GET /api/functions/:name', get), '',
    `## First page load (token in session storage), ${PAGE_LOADS} loads, median`, '',
    '| to the functions list shown ms | JS on the wire KB | all responses KB |', '| ---: | ---: | ---: |',
    `| ${pct(loads, 0.5).toFixed(0)} | ${(bytes.js / 1024).toFixed(1)} | ${(bytes.all / 1024).toFixed(1)} |`, '',
  ].join('\n'));
} finally {
  log('deleting the functions');
  for (const name of names) await fetch(`${base}/api/functions/${name}`, { method: 'DELETE', headers: auth }).catch(() => undefined);
  dashboard.kill('SIGTERM');
  rmSync(home, { recursive: true, force: true });
}
