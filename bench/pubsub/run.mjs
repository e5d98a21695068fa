// Pub/Sub benchmark: records/s of the Nucleon `pubsub` trigger with a no-op Node handler against
// a plain @google-cloud/pubsub subscriber (same flow control, streams and ack deadline, ack each
// message) on the same pstest fake, same run. Run through run.sh (it starts the fake if needed).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { machineBusyMs, stopServer, treeCpuMs } from '../http/lib/proc.mjs';
import { fmt, median } from '../http/lib/report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const require = createRequire(join(ROOT, 'packages', 'trigger-pubsub', 'package.json'));
const { PubSub } = require('@google-cloud/pubsub');
const PROCESSOR_MAIN = join(ROOT, 'packages', 'processor', 'dist', 'main.js');
const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const PORT = env.NUCLEON_PUBSUB_PORT ?? '8085';
const HOST = `127.0.0.1:${PORT}`;
const PROJECT = 'nucleon-bench';
// pstest hands each StreamingPull stream about one message per 10 ms tick: ~100 records/s per
// stream, whoever consumes. Counts are sized for that.
const MESSAGES = Number(env.BENCH_MESSAGES ?? (QUICK ? 1_000 : 4_000));
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const BODY = Buffer.from(env.BENCH_BODY ?? '{"id":12345,"kind":"bench"}');
const ACK_DEADLINE_S = 10;
const RUN_TIMEOUT_MS = Number(env.BENCH_RUN_TIMEOUT_S ?? 300) * 1000;
const RESULTS_DIR = env.BENCH_RESULTS_DIR ?? join(ROOT, 'bench', 'results');
const FAKE_PIDFILE = join(env.NUCLEON_PUBSUB_DATA ?? join(env.NUCLEON_CACHE ?? join(homedir(), '.cache', 'nucleon'), `pubsub-data-${PORT}`), 'pubsub-fake.pid');
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const log = (...a) => process.stderr.write(`bench/pubsub: ${a.join(' ')}\n`);

/** Rows; each Nucleon row is compared with the plain row of the same flow control in the same round. */
const ROWS = [
  { name: 'plain-m64', label: 'plain @google-cloud/pubsub, maxMessages 64, 5 streams', kind: 'baseline', max: 64, streams: 5, share: 1 },
  { name: 'nucleon-w4-m64', label: 'Nucleon, 4 workers, maxNumWorkers 64 (5 streams)', kind: 'nucleon', workers: 4, max: 64, streams: 5, share: 1, vs: 'plain-m64' },
  { name: 'plain-m1', label: 'plain @google-cloud/pubsub, maxMessages 1, 1 stream', kind: 'baseline', max: 1, streams: 1, share: 0.05 },
  // What the trigger's short ack batch alone is worth (it frees the flow-control slot sooner).
  { name: 'plain-m1-ack1ms', label: 'plain, maxMessages 1, 1 stream, acks batched 1 ms like the trigger (info)', kind: 'baseline', max: 1, streams: 1, share: 0.05, ackBatchMs: 1, vs: 'plain-m1', info: true },
  { name: 'nucleon-w1', label: 'Nucleon, 1 worker, default maxNumWorkers (1, 1 stream)', kind: 'nucleon', workers: 1, streams: 1, share: 0.05, vs: 'plain-m1' },
];
const wanted = env.BENCH_ROWS ? new Set(env.BENCH_ROWS.split(',').map((s) => s.trim())) : undefined;
const rows = ROWS.filter((r) => !wanted || wanted.has(r.name) || (r.kind === 'baseline' && ROWS.some((n) => n.vs === r.name && wanted.has(n.name))));

function spawnChild(args, extraEnv = {}) {
  const handle = { output: '', exit: null };
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, NODE_ENV: 'production', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  handle.child = child;
  handle.pid = child.pid;
  const keep = (c) => { handle.output = (handle.output + c).slice(-8192); };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  handle.exited = new Promise((resolve) => child.once('exit', (code, signal) => { handle.exit = { code, signal }; resolve(handle.exit); }));
  return handle;
}

function functionYaml(row, subscription) {
  return [
    'apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', '  name: pubsub-bench', 'spec:', '  runtime: nodejs',
    '  handler: main:handler', '  triggers:', '    orders:', '      kind: pubsub', `      numWorkers: ${row.workers}`,
    '      attributes:', `        projectID: ${PROJECT}`, `        emulatorHost: ${HOST}`, `        ackDeadline: ${ACK_DEADLINE_S}s`,
    '        subscriptions:', `          - topic: ${subscription.topic}`, `            idPrefix: ${subscription.prefix}`,
    '            shared: true', '            skipCreate: true', ...(row.max !== undefined ? [`            maxNumWorkers: ${row.max}`] : []), '',
  ].join('\n');
}

const fakePid = () => { try { return Number(readFileSync(FAKE_PIDFILE, 'utf8').trim()); } catch { return undefined; } };

/** Waits (bounded, polling every 2 ms) for a mark file; returns its hrtime and the CPU samples taken on seeing it. */
async function awaitMark(file, handle, fake, deadline, what) {
  while (!existsSync(file)) {
    if (handle.exit) throw new Error(`${what}: consumer exited (${JSON.stringify(handle.exit)}):\n${handle.output}`);
    if (Date.now() > deadline) throw new Error(`${what}: timed out:\n${handle.output}`);
    await sleep(2);
  }
  const cpu = treeCpuMs(handle.pid);
  const fakeCpu = fake ? treeCpuMs(fake) : NaN;
  const busy = machineBusyMs();
  let text = '';
  for (let i = 0; i < 50 && !text; i++) { text = readFileSync(file, 'utf8'); if (!text) await sleep(2); }
  return { at: BigInt(text), cpu, fakeCpu, busy };
}

/** One measured run: a fresh subscription filled with n messages, then time first to n-th handled. */
async function measure(ps, topic, row, round) {
  const n = Math.max(100, Math.round(MESSAGES * row.share));
  const prefix = `b-${row.name}-${round}-`;
  const subName = `${prefix}${topic}`;
  const [sub] = await ps.topic(topic).createSubscription(subName, { ackDeadlineSeconds: ACK_DEADLINE_S });
  const tmp = mkdtempSync(join(tmpdir(), 'nucleon-bench-pubsub-'));
  const marks = join(tmp, 'marks');
  let handle;
  try {
    const pub = ps.topic(topic, { batching: { maxMessages: 1000, maxMilliseconds: 10 } });
    const sends = [];
    for (let i = 0; i < n; i++) sends.push(pub.publishMessage({ data: BODY, attributes: { 'content-type': 'application/json' } }));
    await Promise.all(sends);
    const markEnv = { BENCH_EXPECTED: String(n), BENCH_MARKS: marks };
    if (row.kind === 'baseline') {
      handle = spawnChild([join(HERE, 'baseline.mjs'), HOST, PROJECT, subName, String(row.max), String(row.streams), String(ACK_DEADLINE_S), String(n), marks, ...(row.ackBatchMs ? [String(row.ackBatchMs)] : [])]);
    } else {
      writeFileSync(join(tmp, 'function.yaml'), functionYaml(row, { topic, prefix }));
      handle = spawnChild([PROCESSOR_MAIN, '--config', join(tmp, 'function.yaml'), '--function-dir', join(HERE, 'functions', 'noop')],
        { ...markEnv, NUCLEON_LOG_LEVEL: 'warn', NUCLEON_ADMIN_PORT: '0', NUCLEON_HTTP_PORT: '0', NUCLEON_ADMIN_HOST: '127.0.0.1' });
    }
    const fake = fakePid();
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    const first = await awaitMark(`${marks}.first`, handle, fake, deadline, `${row.name}: first message`);
    const done = await awaitMark(`${marks}.done`, handle, fake, deadline, `${row.name}: ${n} messages`);
    const counted = n - 1;
    const seconds = Number(done.at - first.at) / 1e9;
    const consumerCpuMs = done.cpu - first.cpu;
    const fakeCpuMs = done.fakeCpu - first.fakeCpu;
    return {
      row: row.name, round, messages: n, counted, seconds, recordsPerSec: counted / seconds,
      cpuUsPerRecord: (consumerCpuMs * 1000) / counted, cpuPctOfCore: (100 * consumerCpuMs) / (seconds * 1000),
      fakeCpuUsPerRecord: (fakeCpuMs * 1000) / counted,
      otherCpuPctOfCore: (100 * Math.max(0, done.busy - first.busy - consumerCpuMs - (Number.isNaN(fakeCpuMs) ? 0 : fakeCpuMs))) / (seconds * 1000),
    };
  } finally {
    if (handle) await stopServer(handle, 5000);
    rmSync(tmp, { recursive: true, force: true });
    await sub.delete().catch(() => undefined);
  }
}

async function main() {
  const ps = new PubSub({ projectId: PROJECT, apiEndpoint: HOST, clientOptions: { universeDomain: 'googleapis.com' } });
  const topic = `bench-${RUN_ID}`;
  await ps.createTopic(topic);
  log(`${MESSAGES} messages of ${BODY.length} bytes per run (x0.05 for the 1-stream rows, at least 100), ${ROUNDS} round(s), rows: ${rows.map((r) => r.name).join(', ')}; ${cpus().length} cpus; pstest at ${HOST}`);
  const runs = [];
  try {
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? rows : [...rows].reverse();
      for (const row of order) {
        const r = await measure(ps, topic, row, round);
        runs.push(r);
        log(`round ${round + 1}/${ROUNDS} ${row.name}: ${fmt(r.recordsPerSec)} records/s, ${fmt(r.cpuUsPerRecord, 1)} CPU µs/record, fake ${fmt(r.fakeCpuUsPerRecord, 1)} µs/record, other ${fmt(r.otherCpuPctOfCore)}% of a core`);
      }
    }
  } finally {
    await ps.topic(topic).delete().catch(() => undefined);
    await ps.close();
  }
  const table = rows.map((row) => {
    const mine = runs.filter((r) => r.row === row.name);
    const pair = (key) => mine.map((r) => {
      const base = runs.find((b) => b.row === row.vs && b.round === r.round);
      return base ? r[key] / base[key] : NaN;
    });
    return {
      row: row.name, label: row.label, vs: row.vs, info: !!row.info, messages: mine[0]?.messages,
      recordsPerSec: median(mine.map((r) => r.recordsPerSec)), ratio: row.vs ? median(pair('recordsPerSec')) : 1, ratios: row.vs ? pair('recordsPerSec') : [],
      cpuUsPerRecord: median(mine.map((r) => r.cpuUsPerRecord)), cpuRatio: row.vs ? median(pair('cpuUsPerRecord')) : 1,
      cpuPctOfCore: median(mine.map((r) => r.cpuPctOfCore)), fakeCpuUsPerRecord: median(mine.map((r) => r.fakeCpuUsPerRecord)),
      otherCpuPctOfCore: median(mine.map((r) => r.otherCpuPctOfCore)),
    };
  });
  const lines = [
    '| row | messages | records/s | ×baseline | consumer CPU µs/record | CPU ×baseline | consumer CPU % of a core | pstest CPU µs/record |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...table.map((t) => `| ${t.label} | ${t.messages} | ${fmt(t.recordsPerSec)} | ${t.vs ? `${fmt(t.ratio, 2)}x` : 'baseline'} | ${fmt(t.cpuUsPerRecord, 1)} | ${t.vs ? `${fmt(t.cpuRatio, 2)}x` : '-'} | ${fmt(t.cpuPctOfCore)} | ${fmt(t.fakeCpuUsPerRecord, 1)} |`),
    '',
    `medians of ${ROUNDS} round(s); ×baseline is the median of per-round ratios against the plain subscriber with the same flow control.`,
    `other CPU on the machine during runs (median % of a core): ${table.map((t) => `${t.row} ${fmt(t.otherCpuPctOfCore)}`).join(', ')}`,
    '',
    'goal check (Nucleon >= 0.90x the plain subscriber, same flow control):',
    ...table.filter((t) => t.vs && !t.info).map((t) => `  ${t.ratio >= 0.9 ? 'PASS' : 'MISS'} ${t.row}: ${fmt(t.ratio, 2)}x ${t.vs} (per round: ${t.ratios.map((x) => fmt(x, 2)).join(', ')})`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `pubsub-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({
    bench: 'pubsub', when: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model,
    messages: MESSAGES, bodyBytes: BODY.length, rounds: ROUNDS, emulator: HOST, table, runs,
  }, null, 2)}\n`);
  log(`raw results: ${file}`);
  process.exit(0);
}

main().catch((err) => {
  log(`failed: ${err.stack ?? err}`);
  process.exit(1);
});
