// Kinesis benchmark: records/s of the Nucleon `kinesis` trigger with a no-op Node handler
// against a plain GetRecords polling loop (same SDK client, shard count, batch limit and
// polling period) on the same kinesalite, same run. Run through run.sh; knobs in bench/README.md.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, get, machineBusyMs, stopServer, treeCpuMs } from '../http/lib/proc.mjs';
import { fmt, median } from '../http/lib/report.mjs';
import { client as makeClient, kinesis } from './sdk.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const PROCESSOR_MAIN = join(ROOT, 'packages', 'processor', 'dist', 'main.js');
const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const PORT = env.NUCLEON_KINESIS_PORT ?? '4567';
const ENDPOINT = `http://127.0.0.1:${PORT}`;
const MESSAGES = Number(env.BENCH_MESSAGES ?? (QUICK ? 4_000 : 60_000));
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const SHARDS = Number(env.BENCH_SHARDS ?? 2);
const BATCH = Number(env.BENCH_BATCH ?? 1000);
const POLLING_MS = Number(env.BENCH_POLLING_MS ?? 500);
const BODY = Buffer.from(env.BENCH_BODY ?? '{"id":12345,"kind":"bench"}');
const RUN_TIMEOUT_MS = Number(env.BENCH_RUN_TIMEOUT_S ?? 300) * 1000;
const RESULTS_DIR = env.BENCH_RESULTS_DIR ?? join(ROOT, 'bench', 'results');
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const log = (...a) => process.stderr.write(`bench/kinesis: ${a.join(' ')}\n`);

const ROWS = [
  { name: 'plain-sdk', label: `plain GetRecords loop, ${SHARDS} shards`, kind: 'baseline' },
  { name: 'nucleon', label: `Nucleon kinesis trigger, ${SHARDS} shards, ${SHARDS} workers`, kind: 'nucleon', vs: 'plain-sdk' },
];

function kinesalitePid() {
  const file = join(env.NUCLEON_CACHE ?? join(homedir(), '.cache', 'nucleon'), `kinesalite-${PORT}`, 'kinesalite.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : undefined;
}

async function streamWith(client, name, n) {
  await client.send(new kinesis.CreateStreamCommand({ StreamName: name, ShardCount: SHARDS }));
  for (let i = 0; i < 200; i++) {
    const s = await client.send(new kinesis.DescribeStreamSummaryCommand({ StreamName: name }));
    if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') break;
    await sleep(50);
  }
  for (let at = 0; at < n; at += 500) {
    const records = Array.from({ length: Math.min(500, n - at) }, (_, i) => ({ PartitionKey: `k${(at + i) % 64}`, Data: BODY }));
    const out = await client.send(new kinesis.PutRecordsCommand({ StreamName: name, Records: records }));
    if (out.FailedRecordCount) throw new Error(`${out.FailedRecordCount} records not put`);
  }
}

function spawnChild(args, extraEnv = {}) {
  const handle = { output: '', exit: null };
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, NODE_ENV: 'production', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  handle.child = child;
  handle.pid = child.pid;
  handle.events = [];
  child.stdout.setEncoding('utf8').on('data', (c) => {
    handle.output = (handle.output + c).slice(-8192);
    for (const m of c.matchAll(/\{"event":"(\w+)"/g)) handle.events.push(m[1]);
  });
  child.stderr.setEncoding('utf8').on('data', (c) => { handle.output = (handle.output + c).slice(-8192); });
  handle.exited = new Promise((resolve) => child.once('exit', (code, signal) => { handle.exit = { code, signal }; resolve(handle.exit); }));
  return handle;
}

async function handledCount(adminPort) {
  const res = await get(adminPort, '/metrics', { timeoutMs: 2000 });
  let total = 0;
  for (const m of res.body.matchAll(/^nucleon_events_total\{[^}]*result="success"[^}]*\} (\d+)/gm)) total += Number(m[1]);
  return total;
}

function functionYaml(stream, checkpoints) {
  return ['apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', '  name: kinesis-bench', 'spec:', '  runtime: nodejs',
    '  handler: main:handler', '  triggers:', '    stream:', '      kind: kinesis', `      numWorkers: ${SHARDS}`, '      attributes:',
    `        streamName: ${stream}`, `        endpoint: ${ENDPOINT}`, '        accessKeyID: bench', '        secretAccessKey: bench',
    '        iteratorType: TRIM_HORIZON', `        batchSize: ${BATCH}`, `        pollingPeriod: ${POLLING_MS}ms`,
    `        checkpointDir: ${checkpoints}`, ''].join('\n');
}

/** One run: a fresh stream with MESSAGES records; time from the consumer's first record to the last. */
async function measure(client, row) {
  const stream = `bench-${RUN_ID}-${row.name}-${Date.now().toString(36)}`;
  await streamWith(client, stream, MESSAGES);
  const kpid = kinesalitePid();
  let handle;
  let tmp;
  let first; let done; let counted = MESSAGES;
  const sample = () => [process.hrtime.bigint(), treeCpuMs(handle.pid), kpid ? treeCpuMs(kpid) : NaN, machineBusyMs()];
  let s0; let s1;
  try {
    const deadline = Date.now() + RUN_TIMEOUT_MS;
    if (row.kind === 'baseline') {
      handle = spawnChild([join(HERE, 'baseline.mjs'), ENDPOINT, stream, String(BATCH), String(POLLING_MS), String(MESSAGES)]);
      while (!handle.events.includes('first')) {
        if (handle.exit || Date.now() > deadline) throw new Error(`baseline: no first record\n${handle.output}`);
        await sleep(1);
      }
      s0 = sample();
      while (!handle.events.includes('done')) {
        if (handle.exit || Date.now() > deadline) throw new Error(`baseline: not done\n${handle.output}`);
        await sleep(2);
      }
      s1 = sample();
    } else {
      tmp = mkdtempSync(join(tmpdir(), 'nucleon-bench-kinesis-'));
      writeFileSync(join(tmp, 'function.yaml'), functionYaml(stream, join(tmp, 'checkpoints')));
      const adminPort = await freePort();
      handle = spawnChild([PROCESSOR_MAIN, '--config', join(tmp, 'function.yaml'), '--function-dir', join(HERE, 'functions', 'noop')],
        { NUCLEON_LOG_LEVEL: 'warn', NUCLEON_ADMIN_PORT: String(adminPort), NUCLEON_ADMIN_HOST: '127.0.0.1', NUCLEON_HTTP_PORT: String(await freePort()) });
      // /metrics costs the processor CPU: poll it every 2 ms only near the two ends, else every 20 ms.
      let n = 0;
      let countedAtFirst = 0;
      while (n < MESSAGES) {
        if (handle.exit) throw new Error(`nucleon: processor exited (${JSON.stringify(handle.exit)}):\n${handle.output}`);
        if (Date.now() > deadline) throw new Error(`nucleon: timed out at ${n}/${MESSAGES}`);
        try { n = await handledCount(adminPort); } catch { n = 0; }
        if (n > 0 && s0 === undefined) { s0 = sample(); countedAtFirst = n; }
        if (n >= MESSAGES) break;
        await sleep(s0 === undefined || n >= MESSAGES * 0.9 ? 2 : 20);
      }
      s1 = sample();
      counted = MESSAGES - countedAtFirst;
    }
  } finally {
    if (handle) await stopServer(handle, 5000);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    await client.send(new kinesis.DeleteStreamCommand({ StreamName: stream })).catch(() => undefined);
  }
  [first] = s0; [done] = s1;
  const seconds = Number(done - first) / 1e9;
  const consumerCpuMs = s1[1] - s0[1];
  const brokerCpuMs = s1[2] - s0[2];
  const otherCpuMs = Math.max(0, s1[3] - s0[3] - consumerCpuMs - (Number.isNaN(brokerCpuMs) ? 0 : brokerCpuMs));
  return {
    row: row.name, messages: MESSAGES, counted, seconds, recordsPerSec: counted / seconds,
    cpuUsPerRecord: (consumerCpuMs * 1000) / counted, cpuPctOfCore: (100 * consumerCpuMs) / (seconds * 1000),
    brokerCpuUsPerRecord: (brokerCpuMs * 1000) / counted, brokerCpuPctOfCore: (100 * brokerCpuMs) / (seconds * 1000),
    otherCpuPctOfCore: (100 * otherCpuMs) / (seconds * 1000),
  };
}

async function main() {
  const client = await makeClient(ENDPOINT);
  log(`${MESSAGES} records of ${BODY.length} bytes per run over ${SHARDS} shards, batch ${BATCH}, polling ${POLLING_MS} ms, ${ROUNDS} round(s); ${cpus().length} cpus`);
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? ROWS : [...ROWS].reverse();
    for (const row of order) {
      const r = await measure(client, row);
      r.round = round;
      runs.push(r);
      log(`round ${round + 1}/${ROUNDS} ${row.name}: ${fmt(r.recordsPerSec)} records/s, ${fmt(r.cpuUsPerRecord, 1)} CPU µs/record, kinesalite ${fmt(r.brokerCpuPctOfCore)}% of a core`);
    }
  }
  const table = ROWS.map((row) => {
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
      row: row.name, label: row.label, vs: row.vs, recordsPerSec: median(mine.map((r) => r.recordsPerSec)),
      ratio: row.vs ? median(ratios) : 1, ratios, cpuRatio: row.vs ? median(cpuRatios) : 1,
      cpuUsPerRecord: median(mine.map((r) => r.cpuUsPerRecord)), cpuPctOfCore: median(mine.map((r) => r.cpuPctOfCore)),
      brokerCpuUsPerRecord: median(mine.map((r) => r.brokerCpuUsPerRecord)), brokerCpuPctOfCore: median(mine.map((r) => r.brokerCpuPctOfCore)),
      otherCpuPctOfCore: median(mine.map((r) => r.otherCpuPctOfCore)),
    };
  });
  const lines = [
    '| row | records/s | ×baseline | consumer CPU µs/record | consumer CPU % of a core | kinesalite CPU µs/record | kinesalite CPU % of a core |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...table.map((t) => `| ${t.label} | ${fmt(t.recordsPerSec)} | ${t.vs ? `${fmt(t.ratio, 2)}x` : 'baseline'} | ${fmt(t.cpuUsPerRecord, 1)}${t.vs ? ` (${fmt(t.cpuRatio, 2)}x)` : ''} | ${fmt(t.cpuPctOfCore)} | ${fmt(t.brokerCpuUsPerRecord, 1)} | ${fmt(t.brokerCpuPctOfCore)} |`),
    '',
    `medians of ${ROUNDS} round(s), ${MESSAGES} records each (${SHARDS} shards, GetRecords Limit ${BATCH}, polling ${POLLING_MS} ms); ×baseline is the median of per-round ratios.`,
    `other CPU on the machine during runs (median % of a core): ${table.map((t) => `${t.row} ${fmt(t.otherCpuPctOfCore)}`).join(', ')}`,
    '',
    'goal check (Nucleon >= 0.90x the plain GetRecords loop):',
    ...table.filter((t) => t.vs).map((t) => `  ${t.ratio >= 0.9 ? 'PASS' : 'MISS'} ${t.row}: ${fmt(t.ratio, 2)}x ${t.vs} (per round: ${t.ratios.map((x) => fmt(x, 2)).join(', ')})`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  client.destroy();
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `kinesis-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({
    bench: 'kinesis', when: new Date().toISOString(), node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model,
    messages: MESSAGES, shards: SHARDS, batch: BATCH, pollingMs: POLLING_MS, bodyBytes: BODY.length, rounds: ROUNDS, endpoint: ENDPOINT, table, runs,
  }, null, 2)}\n`);
  log(`raw results: ${file}`);
  process.exit(0);
}

main().catch((err) => {
  log(err.stack ?? String(err));
  process.exit(1);
});
