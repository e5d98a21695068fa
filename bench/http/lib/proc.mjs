// Child-process and loopback-HTTP helpers for the HTTP benchmark.
// Every server is a child we spawned; we stop it (and only its own descendants) by pid.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export const HOST = '127.0.0.1';
const OUTPUT_TAIL = 8192;

/** A port on 127.0.0.1 that was free a moment ago. */
export async function freePort() {
  const srv = net.createServer();
  await new Promise((resolve, reject) => srv.once('error', reject).listen(0, HOST, resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** One GET to 127.0.0.1:port; resolves {status, body}; rejects on connection errors. */
export function get(port, path = '/', { agent = false, timeoutMs = 2000 } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`GET ${path}: timed out`)));
    req.on('error', reject);
  });
}

/**
 * Spawns a server. `spec.command(ports)` gives {args, env, cwd, executable?}; ports = {http, admin}.
 * Returns a handle with the spawn time (performance.now()) and the child's output tail.
 */
export function startServer(spec, ports, { nodeFlags = [] } = {}) {
  // `executable`: a server that is not a Node script (another project's processor binary).
  const { args, env, cwd, executable } = spec.command(ports);
  const handle = { spec, ports, output: '', exit: null };
  handle.t0 = performance.now();
  const child = spawn(executable ?? process.execPath, executable ? args : [...nodeFlags, ...args], {
    cwd,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  handle.child = child;
  handle.pid = child.pid;
  const keep = (chunk) => { handle.output = (handle.output + chunk).slice(-OUTPUT_TAIL); };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  handle.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    handle.exit = { code, signal };
    resolve(handle.exit);
  }));
  child.once('error', (err) => { keep(`\nspawn error: ${err.message}\n`); });
  return handle;
}

/**
 * Polls GET / on the server's HTTP port every intervalMs (bounded by timeoutMs) until a 200
 * whose body is the expected text. Returns ms from spawn to the end of that first 200.
 */
export async function waitFor200(handle, { path = '/', expect = 'hello', intervalMs = 5, timeoutMs = 10_000 } = {}) {
  const deadline = handle.t0 + timeoutMs;
  let last = 'no answer';
  while (performance.now() < deadline) {
    if (handle.exit) break;
    try {
      const res = await get(handle.ports.http, path, { timeoutMs: Math.max(50, deadline - performance.now()) });
      if (res.status === 200) {
        if (expect !== undefined && res.body !== expect) {
          throw new Error(`${handle.spec.name}: GET ${path} answered 200 "${res.body.slice(0, 80)}", expected "${expect}"`);
        }
        return performance.now() - handle.t0;
      }
      last = `status ${res.status}`;
    } catch (err) {
      if (err.message.includes('expected')) throw err;
      last = err.code ?? err.message;
    }
    await sleep(intervalMs);
  }
  const why = handle.exit ? `exited (${JSON.stringify(handle.exit)})` : `no 200 within ${timeoutMs} ms (last: ${last})`;
  throw new Error(`${handle.spec.name}: ${why}\n--- server output ---\n${handle.output}`);
}

/** pid and all its descendants, read from /proc (children of every thread). */
export function processTree(pid) {
  const out = [];
  const visit = (p) => {
    out.push(p);
    let tids = [];
    try { tids = readdirSync(`/proc/${p}/task`); } catch { return; }
    for (const tid of tids) {
      let kids = '';
      try { kids = readFileSync(`/proc/${p}/task/${tid}/children`, 'utf8'); } catch { continue; }
      for (const k of kids.trim().split(/\s+/).filter(Boolean)) visit(Number(k));
    }
  };
  visit(pid);
  return out;
}

function statusKb(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory of the server: VmRSS summed over the process and its descendants, in kB. */
export function treeRssKb(pid) {
  const pids = processTree(pid);
  return { rssKb: pids.reduce((s, p) => s + statusKb(p, 'VmRSS'), 0), hwmKb: pids.reduce((s, p) => s + statusKb(p, 'VmHWM'), 0), processes: pids.length };
}

/** CPU time (user + system) used so far by the process tree, in ms (from /proc/<pid>/stat). */
export function treeCpuMs(pid) {
  let ticks = 0;
  for (const p of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields from 3 (state) on
      ticks += Number(f[11]) + Number(f[12]); // utime, stime (fields 14, 15)
    } catch { /* exited */ }
  }
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** Busy CPU time of the whole machine so far (all cores, from /proc/stat), in ms. */
export function machineBusyMs() {
  const f = /^cpu\s+(.*)$/m.exec(readFileSync('/proc/stat', 'utf8'))[1].split(/\s+/).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = f; // idle and iowait left out
  return (user + nice + system + irq + softirq + (steal ?? 0)) * 10;
}

/** CPU time of this process plus its waited-for children (wrk, once it exited), in ms. */
export function selfAndChildrenCpuMs() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) * 10; // utime stime cutime cstime
}

/** n sequential keep-alive GETs (warms the JIT and the connection path a little). */
export async function warm(port, n = 100) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    for (let i = 0; i < n; i++) {
      const res = await get(port, '/', { agent });
      if (res.status !== 200) throw new Error(`warm-up request ${i}: status ${res.status}`);
    }
  } finally {
    agent.destroy();
  }
}

/**
 * SIGTERM, then SIGKILL after graceMs; then SIGKILL any descendant of ours still alive.
 * Only pids that were children of the server we spawned are touched.
 */
export async function stopServer(handle, graceMs = 3000) {
  if (handle.exit) return handle.exit;
  const descendants = processTree(handle.pid).slice(1);
  try { process.kill(handle.pid, 'SIGTERM'); } catch { /* already gone */ }
  const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout'));
  if ((await Promise.race([handle.exited, timer])) === 'timeout') {
    try { process.kill(handle.pid, 'SIGKILL'); } catch { /* already gone */ }
    await handle.exited;
  }
  for (const pid of descendants) {
    try { process.kill(pid, 0); } catch { continue; }
    await sleep(200);
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
  }
  return handle.exit;
}

/** `p`, or a rejection naming `what` once `ms` have passed (the timer does not hold the process open). */
export const withTimeout = (p, ms, what) => Promise.race([p, sleep(ms, undefined, { ref: false }).then(() => { throw new Error(`timed out after ${ms} ms waiting for ${what}`); })]);
