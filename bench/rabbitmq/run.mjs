// RabbitMQ benchmark: records/s of the Nucleon `rabbit-mq` trigger with a no-op Node handler
// against a plain amqplib consumer (manual ack, same prefetch) on the same broker, same run.
// Run through run.sh (it starts the broker if needed); knobs in bench/README.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import amqp from 'amqplib';
import { freePort, get, machineBusyMs, stopServer, treeCpuMs, withTimeout } from '../http/lib/proc.mjs';
import { fmt, median } from '../http/lib/report.mjs';
import { summarize } from '../http/lib/profile.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const PROCESSOR_MAIN = join(ROOT, 'packages', 'processor', 'dist', 'main.js');
const RABBITMQ_SH = join(ROOT, 'scripts', 'services', 'rabbitmq.sh');
const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const URL_ = env.BENCH_AMQP_URL ?? `amqp://guest:guest@127.0.0.1:${env.NUCLEON_RABBITMQ_PORT ?? 5672}`;
const MESSAGES = Number(env.BENCH_MESSAGES ?? (QUICK ? 5_000 : 100_000));
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const BODY = Buffer.from(env.BENCH_BODY ?? '{"id":12345,"kind":"bench"}');
const POLL_MS = 10;
const RUN_TIMEOUT_MS = Number(env.BENCH_RUN_TIMEOUT_S ?? 300) * 1000;
const PROFILE = env.BENCH_PROFILE === '1';
const RESULTS_DIR = env.BENCH_RESULTS_DIR ?? join(ROOT, 'bench', 'results');
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const log = (...a) => process.stderr.write(`bench/rabbitmq: ${a.join(' ')}\n`);

/**
 * The rows. Each Nucleon row is compared with the baseline of the same prefetch, in the same
 * round. `nucleon-w1` has the trigger's default prefetch (numWorkers = 1 -> prefetch 1).
 */
const ROWS = [
  { name: 'amqplib-p1', label: 'plain amqplib, prefetch 1', kind: 'baseline', prefetch: 1 },
  { name: 'nucleon-w1', label: 'Nucleon, 1 worker, default prefetch (1)', kind: 'nucleon', workers: 1, prefetch: undefined, effectivePrefetch: 1, vs: 'amqplib-p1' },
  { name: 'amqplib-p64', label: 'plain amqplib, prefetch 64', kind: 'baseline', prefetch: 64 },
  { name: 'nucleon-w4-p64', label: 'Nucleon, 4 workers, prefetch 64', kind: 'nucleon', workers: 4, prefetch: 64, effectivePrefetch: 64, vs: 'amqplib-p64' },
  { name: 'nucleon-w1-p64', label: 'Nucleon, 1 worker, prefetch 64 (info)', kind: 'nucleon', workers: 1, prefetch: 64, effectivePrefetch: 64, vs: 'amqplib-p64', info: true },
  // What batching acks alone is worth: the trigger batches its acks, the plain baseline does not.
  { name: 'amqplib-p64-batched', label: 'plain amqplib, prefetch 64, acks batched per turn (info)', kind: 'baseline', prefetch: 64, batched: true, vs: 'amqplib-p64', info: true },
];
const wanted = env.BENCH_ROWS ? new Set(env.BENCH_ROWS.split(',').map((s) => s.trim())) : undefined;
const rows = ROWS.filter((r) => !wanted || wanted.has(r.name) || (r.kind === 'baseline' && ROWS.some((n) => n.vs === r.name && wanted.has(n.name))));

/** ready + unacknowledged messages of the queue, from the broker (rabbitmqctl). */
function brokerCounts(queue) {
  const out = execFileSync('bash', [RABBITMQ_SH, 'ctl', '-q', 'list_queues', 'name', 'messages_ready', 'messages_unacknowledged'],
    { encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const line of out.split('\n')) {
    const [name, ready, unacked] = line.trim().split(/\s+/);
    if (name === queue) return { ready: Number(ready), unacked: Number(unacked) };
  }
  throw new Error(`queue ${queue} not listed by rabbitmqctl`);
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

/** The broker's own CPU (beam.smp, found by reading /proc; never signalled). */
function brokerPid() {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'beam.smp'
        && readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('rabbit')) return Number(d);
    } catch { /* gone */ }
  }
  return undefined;
}

async function fillQueue(model, queue, n) {
  const ch = await model.createConfirmChannel();
  await ch.assertQueue(queue, { durable: true });
  await ch.purgeQueue(queue);
  const BATCH = 2000;
  for (let sent = 0; sent < n;) {
    const upto = Math.min(n, sent + BATCH);
    for (; sent < upto; sent++) ch.sendToQueue(queue, BODY, { contentType: 'application/json' });
    await ch.waitForConfirms();
  }
  const { messageCount } = await ch.checkQueue(queue);
  await ch.close();
  if (messageCount !== n) throw new Error(`queue ${queue} holds ${messageCount} messages after the fill, expected ${n}`);
}

function spawnChild(args, extraEnv = {}, nodeFlags = []) {
  const handle = { output: '', exit: null, lines: [] };
  const child = spawn(process.execPath, [...nodeFlags, ...args], {
    cwd: ROOT, env: { ...env, NODE_ENV: 'production', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  handle.child = child;
  handle.pid = child.pid;
  const keep = (c) => { handle.output = (handle.output + c).slice(-8192); };
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  handle.exited = new Promise((resolve) => child.once('exit', (code, signal) => { handle.exit = { code, signal }; resolve(handle.exit); }));
  return handle;
}

/** Waits (bounded) for a stdout JSON line {"event": name} from the baseline child. */
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
          resolve(process.hrtime.bigint());
        }
      }
    };
    handle.child.stdout.on('data', onData);
    handle.exited.then((e) => reject(new Error(`consumer exited (${JSON.stringify(e)}) before "${name}":\n${handle.output}`)));
  });
}

/** Success count of the processor's events, from its /metrics. */
async function handledCount(adminPort) {
  const res = await get(adminPort, '/metrics', { timeoutMs: 2000 });
  let total = 0;
  for (const m of res.body.matchAll(/^nucleon_events_total\{[^}]*result="success"[^}]*\} (\d+)/gm)) total += Number(m[1]);
  return total;
}

function functionYaml(row, queue) {
  return [
    'apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', '  name: rabbit-bench', 'spec:', '  runtime: nodejs',
    '  handler: main:handler', '  triggers:', '    queue:', '      kind: rabbit-mq', `      numWorkers: ${row.workers}`,
    '      attributes:', `        url: ${URL_}`, `        queueName: ${queue}`,
    ...(row.prefetch !== undefined ? [`        prefetchCount: ${row.prefetch}`] : []), '',
  ].join('\n');
}

/**
 * One measured run: fill the queue with MESSAGES, start the consumer, and time from its first
 * message to the MESSAGES-th one handled and acked. CPU from /proc/<pid>/stat over the same window.
 */
async function measure(model, row, { profileDir } = {}) {
  const queue = `nucleon-bench-${RUN_ID}-${row.name}`;
  await fillQueue(model, queue, MESSAGES);
  const beam = brokerPid();
  let handle;
  let tmp;
  let first;
  let done;
  let cpuFirst;
  let cpuDone;
  let beamFirst;
  let beamDone;
  let busyFirst;
  let busyDone;
  let countedAtFirst = 0; // records already handled when the first one was seen (Nucleon: polled)
  let ioFirst;
  let ioDone;
  const sample = () => {
    const io = syscalls(handle.pid);
    if (ioFirst === undefined) ioFirst = io;
    else ioDone = io;
    return [process.hrtime.bigint(), treeCpuMs(handle.pid), beam ? treeCpuMs(beam) : NaN, machineBusyMs()];
  };
  try {
    if (row.kind === 'baseline') {
      const flags = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
      handle = spawnChild([join(HERE, 'baseline.mjs'), URL_, queue, String(row.prefetch), String(MESSAGES), ...(row.batched ? ['batched'] : [])], {}, flags);
      const firstP = onEvent(handle, 'first');
      const doneP = onEvent(handle, 'done');
      await withTimeout(firstP, 30_000, `${row.name}: first message`);
      [first, cpuFirst, beamFirst, busyFirst] = sample();
      await withTimeout(doneP, RUN_TIMEOUT_MS, `${row.name}: ${MESSAGES} messages`);
      [done, cpuDone, beamDone, busyDone] = sample();
    } else {
      tmp = mkdtempSync(join(tmpdir(), 'nucleon-bench-rabbitmq-'));
      writeFileSync(join(tmp, 'function.yaml'), functionYaml(row, queue));
      const adminPort = await freePort();
      const flags = profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [];
      handle = spawnChild([PROCESSOR_MAIN, '--config', join(tmp, 'function.yaml'), '--function-dir', join(HERE, 'functions', 'noop')],
        { NUCLEON_LOG_LEVEL: 'warn', NUCLEON_ADMIN_PORT: String(adminPort), NUCLEON_ADMIN_HOST: '127.0.0.1' }, flags);
      // Polling /metrics costs the processor CPU (prom-client renders every family), so poll
      // it only around the two ends: until the first record is handled, then the broker
      // (checkQueue, a separate connection) until no message is ready, then /metrics again
      // every 2 ms until the last record is handled.
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      const watch = await model.createChannel();
      let n = 0;
      let phase = 'first';
      try {
        while (true) {
          if (handle.exit) throw new Error(`${row.name}: processor exited (${JSON.stringify(handle.exit)}):\n${handle.output}`);
          if (Date.now() > deadline) throw new Error(`${row.name}: timed out at ${n}/${MESSAGES} messages (${phase})`);
          if (phase === 'drain') {
            if ((await watch.checkQueue(queue)).messageCount === 0) phase = 'last';
            else await sleep(POLL_MS);
            continue;
          }
          try { n = await handledCount(adminPort); } catch { n = 0; /* admin not up yet */ }
          if (n > 0 && first === undefined) {
            [first, cpuFirst, beamFirst, busyFirst] = sample();
            countedAtFirst = n;
            phase = 'drain';
          }
          if (n >= MESSAGES) {
            [done, cpuDone, beamDone, busyDone] = sample();
            break;
          }
          await sleep(phase === 'last' ? 2 : POLL_MS);
        }
      } finally {
        await watch.close().catch(() => undefined);
      }
    }
    // The broker's own word that everything was acked (ready + unacknowledged = 0).
    let counts = brokerCounts(queue);
    for (let i = 0; i < 20 && counts.ready + counts.unacked > 0; i++) {
      await sleep(250);
      counts = brokerCounts(queue);
    }
    if (counts.ready + counts.unacked > 0) throw new Error(`${row.name}: queue not drained: ${JSON.stringify(counts)}`);
  } finally {
    if (handle) await stopServer(handle, 5000);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    const ch = await model.createChannel();
    await ch.deleteQueue(queue).catch(() => undefined);
    await ch.close().catch(() => undefined);
  }
  // Records handled inside the window: the poll that saw the first ones may have seen several.
  const counted = MESSAGES - countedAtFirst;
  const seconds = Number(done - first) / 1e9;
  const consumerCpuMs = cpuDone - cpuFirst;
  const brokerCpuMs = beamDone - beamFirst;
  // Approximate (10 ms ticks, the runner's own polling included); slightly negative means none.
  const otherCpuMs = Math.max(0, busyDone - busyFirst - consumerCpuMs - (Number.isNaN(brokerCpuMs) ? 0 : brokerCpuMs));
  return {
    row: row.name, messages: MESSAGES, counted, seconds, recordsPerSec: counted / seconds,
    cpuUsPerRecord: (consumerCpuMs * 1000) / counted, cpuPctOfCore: (100 * consumerCpuMs) / (seconds * 1000),
    brokerCpuUsPerRecord: (brokerCpuMs * 1000) / counted,
    readSyscallsPerRecord: (ioDone.r - ioFirst.r) / counted, writeSyscallsPerRecord: (ioDone.w - ioFirst.w) / counted, otherCpuPctOfCore: (100 * otherCpuMs) / (seconds * 1000),
    windowUs: [Number(first / 1000n), Number(done / 1000n)],
  };
}

async function profileRows(model) {
  const dir = join(RESULTS_DIR, `rabbitmq-profile-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  const out = [];
  // Every row, baselines included: the side-by-side shows what Nucleon adds per record.
  for (const row of rows) {
    const sub = join(dir, row.name);
    mkdirSync(sub, { recursive: true });
    const r = await measure(model, row, { profileDir: sub });
    const file = readdirSync(sub).find((f) => f.endsWith('.cpuprofile'));
    if (!file) { log(`${row.name}: no .cpuprofile written`); continue; }
    const s = summarize(JSON.parse(readFileSync(join(sub, file), 'utf8')), { fromUs: r.windowUs[0], toUs: r.windowUs[1] });
    out.push([`### ${row.label} (${fmt(r.recordsPerSec)} records/s under --cpu-prof, ${fmt(r.cpuUsPerRecord, 1)} CPU µs/record)`, '',
      `profile: ${join(sub, file)} — busy ${fmt(s.busyMs)} ms of ${fmt(s.totalMs)} ms sampled (idle ${fmt((100 * s.idleMs) / s.totalMs, 1)}%)`, '',
      '| area | self ms | % of busy |', '| --- | ---: | ---: |', ...s.areas.slice(0, 15).map((a) => `| ${a.name} | ${fmt(a.ms)} | ${fmt(a.pct, 1)} |`), '',
      '| top 25 functions, self time | self ms | % of busy |', '| --- | ---: | ---: |',
      ...s.functions.slice(0, 25).map((f) => `| \`${f.name.replaceAll('|', '\\|')}\` | ${fmt(f.ms)} | ${fmt(f.pct, 1)} |`), ''].join('\n'));
  }
  return { dir, text: out.join('\n') };
}

async function main() {
  const model = await amqp.connect(URL_);
  model.on('error', () => undefined);
  log(`${MESSAGES} messages of ${BODY.length} bytes per run, ${ROUNDS} round(s), rows: ${rows.map((r) => r.name).join(', ')}; ${cpus().length} cpus`);
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? rows : [...rows].reverse();
    for (const row of order) {
      const r = await measure(model, row);
      r.round = round;
      runs.push(r);
      log(`round ${round + 1}/${ROUNDS} ${row.name}: ${fmt(r.recordsPerSec)} records/s, ${fmt(r.cpuUsPerRecord, 1)} CPU µs/record, other ${fmt(r.otherCpuPctOfCore)}% of a core`);
    }
  }
  const table = rows.map((row) => {
    const mine = runs.filter((r) => r.row === row.name);
    const ratios = row.vs ? mine.map((r) => {
      const base = runs.find((b) => b.row === row.vs && b.round === r.round);
      return base ? r.recordsPerSec / base.recordsPerSec : NaN;
    }) : [];
    return {
      row: row.name, label: row.label, prefetch: row.prefetch ?? row.effectivePrefetch, workers: row.workers, vs: row.vs, info: !!row.info,
      recordsPerSec: median(mine.map((r) => r.recordsPerSec)), ratio: row.vs ? median(ratios) : 1, ratios,
      cpuUsPerRecord: median(mine.map((r) => r.cpuUsPerRecord)), cpuPctOfCore: median(mine.map((r) => r.cpuPctOfCore)),
      brokerCpuUsPerRecord: median(mine.map((r) => r.brokerCpuUsPerRecord)),
      readSyscallsPerRecord: median(mine.map((r) => r.readSyscallsPerRecord)), writeSyscallsPerRecord: median(mine.map((r) => r.writeSyscallsPerRecord)), otherCpuPctOfCore: median(mine.map((r) => r.otherCpuPctOfCore)),
    };
  });
  const lines = [
    '| row | prefetch | records/s | ×baseline | consumer CPU µs/record | consumer CPU % of a core | broker CPU µs/record | consumer read / write syscalls per record |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...table.map((t) => `| ${t.label} | ${t.prefetch} | ${fmt(t.recordsPerSec)} | ${t.vs ? `${fmt(t.ratio, 2)}x` : 'baseline'} | ${fmt(t.cpuUsPerRecord, 1)} | ${fmt(t.cpuPctOfCore)} | ${fmt(t.brokerCpuUsPerRecord, 1)} | ${fmt(t.readSyscallsPerRecord, 2)} / ${fmt(t.writeSyscallsPerRecord, 2)} |`),
    '',
    `medians of ${ROUNDS} round(s), ${MESSAGES} messages each; ×baseline is the median of per-round ratios against the plain amqplib consumer with the same prefetch.`,
    `other CPU on the machine during runs (median % of a core): ${table.map((t) => `${t.row} ${fmt(t.otherCpuPctOfCore)}`).join(', ')}`,
    '',
    'goal check (Nucleon >= 0.90x plain amqplib, same prefetch):',
    ...table.filter((t) => t.vs && !t.info).map((t) => `  ${t.ratio >= 0.9 ? 'PASS' : 'MISS'} ${t.row}: ${fmt(t.ratio, 2)}x ${t.vs} (per round: ${t.ratios.map((x) => fmt(x, 2)).join(', ')})`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  let profile;
  if (PROFILE) {
    profile = await profileRows(model);
    process.stdout.write(`\n## Profile (node --cpu-prof on each consumer, samples from the measured window only)\n\n${profile.text}\n`);
  }
  await model.close();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `rabbitmq-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({
    bench: 'rabbitmq', when: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model,
    messages: MESSAGES, bodyBytes: BODY.length, rounds: ROUNDS, url: URL_.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@'),
    table, runs, profileDir: profile?.dir,
  }, null, 2)}\n`);
  log(`raw results: ${file}`);
  process.exit(0);
}

main().catch((err) => {
  log(`failed: ${err.stack ?? err}`);
  process.exit(1);
});
