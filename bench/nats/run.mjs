// NATS benchmark: records/s of the Nucleon `nats` trigger (JetStream durable pull consumer, a
// no-op Node handler) against a plain `nats` client consuming the same kind of durable consumer
// (explicit ack of every message, the same max_ack_pending and pull size) on the same server,
// same run. Run through run.sh (it starts the server if needed); knobs in bench/README.md.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, get, machineBusyMs, stopServer, treeCpuMs, withTimeout } from '../http/lib/proc.mjs';
import { fmt, median } from '../http/lib/report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
// The client library the trigger uses, from the trigger's own node_modules.
const { connect, AckPolicy, DeliverPolicy, StorageType, nanos } = createRequire(import.meta.url)('../../packages/trigger-nats/node_modules/nats');
const PROCESSOR_MAIN = join(ROOT, 'packages', 'processor', 'dist', 'main.js');
const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const URL_ = env.BENCH_NATS_URL ?? `nats://127.0.0.1:${env.NUCLEON_NATS_PORT ?? 4222}`;
const MESSAGES = Number(env.BENCH_MESSAGES ?? (QUICK ? 5_000 : 100_000));
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const BODY = Buffer.from(env.BENCH_BODY ?? '{"id":12345,"kind":"bench"}');
const MAX_ACK_PENDING = Number(env.BENCH_MAX_ACK_PENDING ?? 256);
const RUN_TIMEOUT_MS = Number(env.BENCH_RUN_TIMEOUT_S ?? 300) * 1000;
const RESULTS_DIR = env.BENCH_RESULTS_DIR ?? join(ROOT, 'bench', 'results');
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const log = (...a) => process.stderr.write(`bench/nats: ${a.join(' ')}\n`);

const ROWS = [
  { name: 'nats-js', label: `plain nats JetStream consumer, ack each, max_ack_pending ${MAX_ACK_PENDING}`, kind: 'baseline' },
  { name: 'nucleon-w1', label: `Nucleon, 1 worker, maxAckPending ${MAX_ACK_PENDING}`, kind: 'nucleon', workers: 1, vs: 'nats-js' },
  { name: 'nucleon-w4', label: `Nucleon, 4 workers, maxAckPending ${MAX_ACK_PENDING} (info)`, kind: 'nucleon', workers: 4, vs: 'nats-js', info: true },
  { name: 'nats-core', label: 'plain nats core subscription, queue group', kind: 'baseline', core: true },
  { name: 'nucleon-core-w1', label: 'Nucleon core NATS, 1 worker, queue group (info)', kind: 'nucleon', core: true, workers: 1, vs: 'nats-core', info: true },
];
const wanted = env.BENCH_ROWS ? new Set(env.BENCH_ROWS.split(',').map((s) => s.trim())) : undefined;
const rows = ROWS.filter((r) => !wanted || wanted.has(r.name) || (r.kind === 'baseline' && ROWS.some((n) => n.vs === r.name && wanted.has(n.name))));

/** The server's own CPU (nats-server, found by reading /proc; never signalled). */
function serverPid() {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'nats-server') return Number(d);
    } catch { /* gone */ }
  }
  return undefined;
}

/** Read and write syscalls of a process so far (/proc/<pid>/io, all its threads). */
function syscalls(pid) {
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    return { r: Number(/^syscr: (\d+)/m.exec(io)[1]), w: Number(/^syscw: (\d+)/m.exec(io)[1]) };
  } catch {
    return { r: NaN, w: NaN };
  }
}

/** A fresh stream holding MESSAGES messages and a durable pull consumer over it, the same for every row. */
async function prepare(nc, jsm, row) {
  const stream = `BENCH-${RUN_ID}-${row.name}`;
  const subject = `bench.${RUN_ID}.${row.name}`;
  const durable = 'bench';
  await jsm.streams.add({ name: stream, subjects: [subject], storage: StorageType.File });
  const js = nc.jetstream();
  const BATCH = 1000;
  for (let sent = 0; sent < MESSAGES; sent += BATCH) {
    const n = Math.min(BATCH, MESSAGES - sent);
    await Promise.all(Array.from({ length: n }, () => js.publish(subject, BODY)));
  }
  await jsm.consumers.add(stream, {
    durable_name: durable, ack_policy: AckPolicy.Explicit, ack_wait: nanos(30_000), max_ack_pending: MAX_ACK_PENDING,
    deliver_policy: DeliverPolicy.All, filter_subject: subject, max_deliver: -1,
  });
  return { stream, subject, durable };
}

function spawnChild(args, extraEnv = {}) {
  const handle = { output: '', exit: null };
  const flags = env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', env.BENCH_PROFILE_DIR] : [];
  const child = spawn(process.execPath, [...flags, ...args], { cwd: ROOT, env: { ...env, NODE_ENV: 'production', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  handle.child = child;
  handle.pid = child.pid;
  const keep = (c) => { handle.output = (handle.output + c).slice(-8192); };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  handle.exited = new Promise((resolve) => child.once('exit', (code, signal) => { handle.exit = { code, signal }; resolve(handle.exit); }));
  return handle;
}

function onEvent(handle, name) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (c) => {
      buf += c;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        if (line.includes(`"event":"${name}"`)) {
          handle.child.stdout.off('data', onData);
          resolve();
        }
      }
    };
    handle.child.stdout.on('data', onData);
    handle.exited.then((e) => reject(new Error(`consumer exited (${JSON.stringify(e)}) before "${name}":\n${handle.output}`)));
  });
}

async function handledCount(adminPort) {
  const res = await get(adminPort, '/metrics', { timeoutMs: 2000 });
  let total = 0;
  for (const m of res.body.matchAll(/^nucleon_events_total\{[^}]*result="success"[^}]*\} (\d+)/gm)) total += Number(m[1]);
  return total;
}

function functionYaml(row, { stream, subject, durable }) {
  if (row.core) {
    return ['apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', '  name: nats-bench', 'spec:', '  runtime: nodejs',
      '  handler: main:handler', '  triggers:', '    stream:', '      kind: nats', `      numWorkers: ${row.workers}`,
      '      attributes:', `        url: ${URL_}`, `        topic: ${subject}`, '        queueName: bench', ''].join('\n');
  }
  return [
    'apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', '  name: nats-bench', 'spec:', '  runtime: nodejs',
    '  handler: main:handler', '  triggers:', '    stream:', '      kind: nats', `      numWorkers: ${row.workers}`,
    '      attributes:', `        url: ${URL_}`, `        topic: ${subject}`,
    `        jetStream: { stream: ${stream}, durable: ${durable}, ackWait: 30s, maxAckPending: ${MAX_ACK_PENDING} }`, '',
  ].join('\n');
}

/** One measured run: from the consumer's first message to the MESSAGES-th handled and acked; CPU over the same window. */
async function measure(nc, jsm, row) {
  if (row.core) return measureCore(nc, row);
  const target = await prepare(nc, jsm, row);
  const server = serverPid();
  let handle;
  let tmp;
  let first;
  let done;
  let countedAtFirst = 0;
  const sample = () => ({ t: process.hrtime.bigint(), cpu: treeCpuMs(handle.pid), server: server ? treeCpuMs(server) : NaN, busy: machineBusyMs(), io: syscalls(handle.pid) });
  const pending = async () => {
    const info = await jsm.consumers.info(target.stream, target.durable);
    return { pending: info.num_pending, ackPending: info.num_ack_pending };
  };
  try {
    if (row.kind === 'baseline') {
      handle = spawnChild([join(HERE, 'baseline.mjs'), URL_, target.stream, target.durable, String(MESSAGES), String(MAX_ACK_PENDING)]);
      const firstP = onEvent(handle, 'first');
      const doneP = onEvent(handle, 'done');
      await withTimeout(firstP, 30_000, `${row.name}: first message`);
      first = sample();
      await withTimeout(doneP, RUN_TIMEOUT_MS, `${row.name}: ${MESSAGES} messages`);
      done = sample();
    } else {
      tmp = mkdtempSync(join(tmpdir(), 'nucleon-bench-nats-'));
      writeFileSync(join(tmp, 'function.yaml'), functionYaml(row, target));
      const adminPort = await freePort();
      handle = spawnChild([PROCESSOR_MAIN, '--config', join(tmp, 'function.yaml'), '--function-dir', join(HERE, 'functions', 'noop')],
        { NUCLEON_LOG_LEVEL: 'warn', NUCLEON_ADMIN_PORT: String(adminPort), NUCLEON_ADMIN_HOST: '127.0.0.1' });
      // /metrics costs the processor CPU: poll it only around the two ends (until the first
      // record, then the server's consumer info until nothing is left to deliver, then /metrics every 2 ms).
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      let n = 0;
      let phase = 'first';
      while (true) {
        if (handle.exit) throw new Error(`${row.name}: processor exited (${JSON.stringify(handle.exit)}):\n${handle.output}`);
        if (Date.now() > deadline) throw new Error(`${row.name}: timed out at ${n}/${MESSAGES} messages (${phase})`);
        if (phase === 'drain') {
          if ((await pending()).pending === 0) phase = 'last';
          else await sleep(10);
          continue;
        }
        try { n = await handledCount(adminPort); } catch { n = 0; }
        if (n > 0 && first === undefined) {
          first = sample();
          countedAtFirst = n;
          phase = 'drain';
        }
        if (n >= MESSAGES) {
          done = sample();
          break;
        }
        await sleep(phase === 'last' ? 2 : 10);
      }
    }
    // The server's word that every message was acked.
    let left = await pending();
    for (let i = 0; i < 40 && left.pending + left.ackPending > 0; i++) {
      await sleep(250);
      left = await pending();
    }
    if (left.pending + left.ackPending > 0) throw new Error(`${row.name}: not everything acked: ${JSON.stringify(left)}`);
  } finally {
    if (handle) await stopServer(handle, 5000);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await jsm.streams.delete(target.stream).catch(() => undefined);
  }
  const counted = MESSAGES - countedAtFirst;
  const seconds = Number(done.t - first.t) / 1e9;
  const cpuMs = done.cpu - first.cpu;
  const serverMs = done.server - first.server;
  const otherMs = Math.max(0, done.busy - first.busy - cpuMs - (Number.isNaN(serverMs) ? 0 : serverMs));
  return {
    row: row.name, messages: MESSAGES, counted, seconds, recordsPerSec: counted / seconds,
    cpuUsPerRecord: (cpuMs * 1000) / counted, cpuPctOfCore: (100 * cpuMs) / (seconds * 1000),
    serverCpuUsPerRecord: (serverMs * 1000) / counted, otherCpuPctOfCore: (100 * otherMs) / (seconds * 1000),
    readSyscallsPerRecord: (done.io.r - first.io.r) / counted, writeSyscallsPerRecord: (done.io.w - first.io.w) / counted,
  };
}

/** Publishes MESSAGES to a core subject, flushing every 1000 (the runner is the publisher for both core rows). */
async function publishCore(nc, subject) {
  for (let sent = 0; sent < MESSAGES; sent += 1000) {
    const n = Math.min(1000, MESSAGES - sent);
    for (let i = 0; i < n; i++) nc.publish(subject, BODY);
    await nc.flush();
  }
}

/**
 * One core NATS run: the consumer subscribes (queue group), the runner publishes MESSAGES, and
 * the window runs from the start of publishing to the consumer's MESSAGES-th message, the same
 * for both rows. Core NATS keeps no backlog, so the rate is bounded by the publisher (the runner)
 * as much as by the consumer: read the CPU µs/record column first. The Nucleon row polls
 * /metrics every 5 ms (its CPU is counted, a small handicap).
 */
async function measureCore(nc, row) {
  const subject = `bench.core.${RUN_ID}.${row.name}`;
  const server = serverPid();
  let handle;
  let tmp;
  let first;
  let done;
  const countedAtFirst = 0;
  const sample = () => ({ t: process.hrtime.bigint(), cpu: treeCpuMs(handle.pid), server: server ? treeCpuMs(server) : NaN, busy: machineBusyMs(), io: syscalls(handle.pid) });
  try {
    if (row.kind === 'baseline') {
      handle = spawnChild([join(HERE, 'baseline-core.mjs'), URL_, subject, 'bench', String(MESSAGES)]);
      const consuming = onEvent(handle, 'consuming');
      await withTimeout(consuming, 30_000, `${row.name}: subscribed`);
      const doneP = onEvent(handle, 'done');
      first = sample();
      const publishing = publishCore(nc, subject);
      await withTimeout(doneP, RUN_TIMEOUT_MS, `${row.name}: ${MESSAGES} messages`);
      done = sample();
      await publishing;
    } else {
      tmp = mkdtempSync(join(tmpdir(), 'nucleon-bench-nats-'));
      writeFileSync(join(tmp, 'function.yaml'), functionYaml(row, { subject }));
      const adminPort = await freePort();
      handle = spawnChild([PROCESSOR_MAIN, '--config', join(tmp, 'function.yaml'), '--function-dir', join(HERE, 'functions', 'noop')],
        { NUCLEON_LOG_LEVEL: 'warn', NUCLEON_ADMIN_PORT: String(adminPort), NUCLEON_ADMIN_HOST: '127.0.0.1' });
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      for (;;) {
        if (handle.exit) throw new Error(`${row.name}: processor exited (${JSON.stringify(handle.exit)}):\n${handle.output}`);
        if (Date.now() > deadline) throw new Error(`${row.name}: not ready`);
        try { if ((await get(adminPort, '/ready', { timeoutMs: 1000 })).status === 200) break; } catch { /* not up yet */ }
        await sleep(20);
      }
      await sleep(200); // the subscription reaches the server
      first = sample();
      const publishing = publishCore(nc, subject);
      let n = 0;
      for (;;) {
        if (handle.exit) throw new Error(`${row.name}: processor exited (${JSON.stringify(handle.exit)}):\n${handle.output}`);
        if (Date.now() > deadline) throw new Error(`${row.name}: timed out at ${n}/${MESSAGES} messages`);
        try { n = await handledCount(adminPort); } catch { n = 0; }
        if (n >= MESSAGES) {
          done = sample();
          break;
        }
        await sleep(5);
      }
      await publishing;
    }
  } finally {
    if (handle) await stopServer(handle, 5000);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  const counted = MESSAGES - countedAtFirst;
  const seconds = Number(done.t - first.t) / 1e9;
  const cpuMs = done.cpu - first.cpu;
  const serverMs = done.server - first.server;
  const otherMs = Math.max(0, done.busy - first.busy - cpuMs - (Number.isNaN(serverMs) ? 0 : serverMs));
  return {
    row: row.name, messages: MESSAGES, counted, seconds, recordsPerSec: counted / seconds,
    cpuUsPerRecord: (cpuMs * 1000) / counted, cpuPctOfCore: (100 * cpuMs) / (seconds * 1000),
    serverCpuUsPerRecord: (serverMs * 1000) / counted, otherCpuPctOfCore: (100 * otherMs) / (seconds * 1000),
    readSyscallsPerRecord: (done.io.r - first.io.r) / counted, writeSyscallsPerRecord: (done.io.w - first.io.w) / counted,
  };
}

async function main() {
  const nc = await connect({ servers: URL_ });
  const jsm = await nc.jetstreamManager();
  log(`${MESSAGES} messages of ${BODY.length} bytes per run, ${ROUNDS} round(s), rows: ${rows.map((r) => r.name).join(', ')}; ${cpus().length} cpus`);
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? rows : [...rows].reverse();
    for (const row of order) {
      const r = await measure(nc, jsm, row);
      r.round = round;
      runs.push(r);
      log(`round ${round + 1}/${ROUNDS} ${row.name}: ${fmt(r.recordsPerSec)} records/s, ${fmt(r.cpuUsPerRecord, 1)} CPU µs/record, syscalls r/w ${fmt(r.readSyscallsPerRecord, 3)}/${fmt(r.writeSyscallsPerRecord, 3)}, other ${fmt(r.otherCpuPctOfCore)}% of a core`);
    }
  }
  const table = rows.map((row) => {
    const mine = runs.filter((r) => r.row === row.name);
    const ratios = row.vs ? mine.map((r) => {
      const base = runs.find((b) => b.row === row.vs && b.round === r.round);
      return base ? r.recordsPerSec / base.recordsPerSec : NaN;
    }) : [];
    const cpuRatios = row.vs ? mine.map((r) => {
      const base = runs.find((b) => b.row === row.vs && b.round === r.round);
      return base ? r.cpuUsPerRecord / base.cpuUsPerRecord : NaN;
    }) : [];
    return {
      row: row.name, label: row.label, vs: row.vs, info: !!row.info,
      recordsPerSec: median(mine.map((r) => r.recordsPerSec)), ratio: row.vs ? median(ratios) : 1, ratios, cpuRatio: row.vs ? median(cpuRatios) : 1,
      cpuUsPerRecord: median(mine.map((r) => r.cpuUsPerRecord)), cpuPctOfCore: median(mine.map((r) => r.cpuPctOfCore)),
      serverCpuUsPerRecord: median(mine.map((r) => r.serverCpuUsPerRecord)),
      readSyscallsPerRecord: median(mine.map((r) => r.readSyscallsPerRecord)), writeSyscallsPerRecord: median(mine.map((r) => r.writeSyscallsPerRecord)), otherCpuPctOfCore: median(mine.map((r) => r.otherCpuPctOfCore)),
    };
  });
  const lines = [
    '| row | records/s | ×baseline | consumer CPU µs/record | CPU ×baseline | consumer CPU % of a core | server CPU µs/record | consumer read / write syscalls per record |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...table.map((t) => `| ${t.label} | ${fmt(t.recordsPerSec)} | ${t.vs ? `${fmt(t.ratio, 2)}x` : 'baseline'} | ${fmt(t.cpuUsPerRecord, 1)} | ${t.vs ? `${fmt(t.cpuRatio, 2)}x` : '-'} | ${fmt(t.cpuPctOfCore)} | ${fmt(t.serverCpuUsPerRecord, 1)} | ${fmt(t.readSyscallsPerRecord, 3)} / ${fmt(t.writeSyscallsPerRecord, 3)} |`),
    '',
    `medians of ${ROUNDS} round(s), ${MESSAGES} messages each; ×baseline is the median of per-round ratios against the plain nats consumer.`,
    `other CPU on the machine during runs (median % of a core): ${table.map((t) => `${t.row} ${fmt(t.otherCpuPctOfCore)}`).join(', ')}`,
    '',
    'goal check (Nucleon >= 0.90x plain nats, same consumer settings):',
    ...table.filter((t) => t.vs && !t.info).map((t) => `  ${t.ratio >= 0.9 ? 'PASS' : 'MISS'} ${t.row}: ${fmt(t.ratio, 2)}x ${t.vs} (per round: ${t.ratios.map((x) => fmt(x, 2)).join(', ')})`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  await nc.close();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `nats-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({
    bench: 'nats', when: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model,
    messages: MESSAGES, bodyBytes: BODY.length, rounds: ROUNDS, maxAckPending: MAX_ACK_PENDING, table, runs,
  }, null, 2)}\n`);
  log(`raw results: ${file}`);
  process.exit(0);
}

main().catch((err) => {
  log(`failed: ${err.stack ?? err}`);
  process.exit(1);
});
