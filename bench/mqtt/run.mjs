// MQTT benchmark: QoS 1 records/s of the Nucleon `mqtt` trigger with a no-op Node handler against
// a plain mqtt.js subscriber (same client options, PUBACK after a no-op) on the same broker, same
// run. The messages wait in the broker for a persistent session first, then the consumer starts
// and drains them: the window is first message handled -> last message handled.
// Run through run.sh (it starts the broker if needed); knobs in bench/README.md.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, get, machineBusyMs, stopServer, treeCpuMs, withTimeout } from '../http/lib/proc.mjs';
import { fmt, median } from '../http/lib/report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const require = createRequire(join(ROOT, 'packages', 'trigger-mqtt', 'package.json'));
const mqtt = require('mqtt');
const PROCESSOR_MAIN = join(ROOT, 'packages', 'processor', 'dist', 'main.js');
const env = process.env;
const QUICK = env.BENCH_QUICK === '1';
const URL_ = env.BENCH_MQTT_URL ?? `mqtt://127.0.0.1:${env.NUCLEON_MQTT_PORT ?? 1883}`;
const MESSAGES = Number(env.BENCH_MESSAGES ?? (QUICK ? 5_000 : 50_000));
const ROUNDS = Number(env.BENCH_ROUNDS ?? (QUICK ? 1 : 3));
const BODY = Buffer.from(env.BENCH_BODY ?? '{"id":12345,"kind":"bench"}');
const RUN_TIMEOUT_MS = Number(env.BENCH_RUN_TIMEOUT_S ?? 300) * 1000;
const RESULTS_DIR = env.BENCH_RESULTS_DIR ?? join(ROOT, 'bench', 'results');
const RUN_ID = `${process.pid}-${Date.now().toString(36)}`;
const log = (...a) => process.stderr.write(`bench/mqtt: ${a.join(' ')}\n`);

const ROWS = [
  { name: 'mqttjs', label: 'plain mqtt.js subscriber, QoS 1', kind: 'baseline' },
  { name: 'nucleon-w1', label: 'Nucleon, 1 worker (PUBACK after each handler)', kind: 'nucleon', workers: 1, vs: 'mqttjs' },
  { name: 'nucleon-w4', label: 'Nucleon, 4 workers (PUBACKs deferred, in order) (info)', kind: 'nucleon', workers: 4, vs: 'mqttjs', info: true },
];
const wanted = env.BENCH_ROWS ? new Set(env.BENCH_ROWS.split(',').map((s) => s.trim())) : undefined;
const rows = ROWS.filter((r) => !wanted || wanted.has(r.name) || r.kind === 'baseline');

const connect = (opts) => mqtt.connectAsync(URL_, { protocolVersion: 5, reconnectPeriod: 0, ...opts });

/** Creates the consumer's persistent session (subscribed at QoS 1), then leaves it offline. */
async function makeSession(clientId, topic) {
  const c = await connect({ clientId, clean: false, properties: { sessionExpiryInterval: 0xffffffff } });
  await c.subscribeAsync(topic, { qos: 1 });
  await c.endAsync();
}

/** Removes the session: a clean connect with expiry 0 drops it at the broker. */
async function dropSession(clientId) {
  const c = await connect({ clientId, clean: true });
  await c.endAsync();
}

/** Publishes n QoS 1 messages, 20 in flight (mosquitto's receive maximum). */
async function fill(topic, n) {
  const c = await connect({ clientId: `nucleon-bench-pub-${RUN_ID}`, clean: true });
  for (let sent = 0; sent < n;) {
    const batch = [];
    for (let i = 0; i < 20 && sent < n; i++, sent++) batch.push(c.publishAsync(topic, BODY, { qos: 1 }));
    await Promise.all(batch);
  }
  await c.endAsync();
}

function spawnChild(args, extraEnv = {}) {
  const handle = { output: '', exit: null };
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...env, NODE_ENV: 'production', ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  handle.child = child;
  handle.pid = child.pid;
  const keep = (c) => { handle.output = (handle.output + c).slice(-8192); if (env.BENCH_ECHO) process.stderr.write(c); };
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

function functionYaml(row, clientId, topic) {
  return ['apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', '  name: mqtt-bench', 'spec:', '  runtime: nodejs',
    '  handler: main:handler', '  triggers:', '    sensors:', '      kind: mqtt', `      url: ${URL_}`, `      numWorkers: ${row.workers}`,
    '      attributes:', `        clientID: ${clientId}`, '        subscriptions:', `          - {topic: "${topic}", qos: 1}`, ''].join('\n');
}

/** After a run: reconnect with the consumer's session and count what the broker still holds for it (must be 0). */
async function leftInSession(clientId) {
  let left = 0;
  const c = mqtt.connect(URL_, { clientId, clean: false, protocolVersion: 5, reconnectPeriod: 0, manualConnect: true, properties: { sessionExpiryInterval: 0 } });
  c.handleMessage = (_p, cb) => { left += 1; cb(); };
  c.connect();
  await new Promise((resolve, reject) => { c.once('connect', resolve); c.once('error', reject); });
  await sleep(500);
  await c.endAsync();
  return left;
}

async function measure(row) {
  const clientId = `nucleon-bench-${RUN_ID}-${row.name}`;
  const topic = `nucleon-bench/${RUN_ID}/${row.name}`;
  await makeSession(clientId, topic);
  await fill(topic, MESSAGES);
  let handle;
  let tmp;
  let t0;
  let t1;
  let cpu0;
  let cpu1;
  let busy0;
  let busy1;
  let countedAtFirst = 0;
  const sample = () => [process.hrtime.bigint(), treeCpuMs(handle.pid), machineBusyMs()];
  try {
    if (row.kind === 'baseline') {
      handle = spawnChild([join(HERE, 'baseline.mjs'), URL_, clientId, String(MESSAGES)]);
      const firstP = onEvent(handle, 'first');
      const doneP = onEvent(handle, 'done');
      await withTimeout(firstP, 30_000, `${row.name}: first message`);
      [t0, cpu0, busy0] = sample();
      await withTimeout(doneP, RUN_TIMEOUT_MS, `${row.name}: ${MESSAGES} messages`);
      [t1, cpu1, busy1] = sample();
    } else {
      tmp = mkdtempSync(join(tmpdir(), 'nucleon-bench-mqtt-'));
      writeFileSync(join(tmp, 'function.yaml'), functionYaml(row, clientId, topic));
      const adminPort = await freePort();
      handle = spawnChild([PROCESSOR_MAIN, '--config', join(tmp, 'function.yaml'), '--function-dir', join(HERE, 'functions', 'noop')],
        { NUCLEON_LOG_LEVEL: "warn", NUCLEON_ADMIN_PORT: String(adminPort), NUCLEON_ADMIN_HOST: '127.0.0.1' });
      const deadline = Date.now() + RUN_TIMEOUT_MS;
      let n = 0;
      // /metrics costs the processor CPU: poll fast until the first record, then every 20 ms.
      while (true) {
        if (handle.exit) throw new Error(`${row.name}: processor exited (${JSON.stringify(handle.exit)}):\n${handle.output}`);
        if (Date.now() > deadline) throw new Error(`${row.name}: timed out at ${n}/${MESSAGES} messages`);
        try { n = await handledCount(adminPort); } catch { n = 0; }
        if (n > 0 && t0 === undefined) {
          [t0, cpu0, busy0] = sample();
          countedAtFirst = n;
        }
        if (n >= MESSAGES) {
          [t1, cpu1, busy1] = sample();
          break;
        }
        await sleep(t0 === undefined ? 2 : (MESSAGES - n > 2000 ? 20 : 2));
      }
    }
  } finally {
    if (handle) await stopServer(handle, 5000);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
  const left = await leftInSession(clientId);
  await dropSession(clientId);
  if (left > 0) throw new Error(`${row.name}: the broker still held ${left} unacknowledged or queued messages for the session`);
  const counted = MESSAGES - countedAtFirst;
  const seconds = Number(t1 - t0) / 1e9;
  const cpuMs = cpu1 - cpu0;
  return {
    row: row.name, messages: MESSAGES, counted, seconds, recordsPerSec: counted / seconds,
    cpuUsPerRecord: (cpuMs * 1000) / counted, cpuPctOfCore: (100 * cpuMs) / (seconds * 1000),
    otherCpuPctOfCore: (100 * Math.max(0, busy1 - busy0 - cpuMs)) / (seconds * 1000),
  };
}

async function main() {
  log(`${MESSAGES} QoS 1 messages of ${BODY.length} bytes per run, ${ROUNDS} round(s), rows: ${rows.map((r) => r.name).join(', ')}; ${cpus().length} cpus`);
  const runs = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? rows : [...rows].reverse();
    for (const row of order) {
      const r = await measure(row);
      r.round = round;
      runs.push(r);
      log(`round ${round + 1}/${ROUNDS} ${row.name}: ${fmt(r.recordsPerSec)} records/s, ${fmt(r.cpuUsPerRecord, 1)} CPU µs/record, other ${fmt(r.otherCpuPctOfCore)}% of a core`);
    }
  }
  const table = rows.map((row) => {
    const mine = runs.filter((r) => r.row === row.name);
    const ratio = (key, inverse) => median(mine.map((r) => {
      const base = runs.find((b) => b.row === row.vs && b.round === r.round);
      return base ? (inverse ? base[key] / r[key] : r[key] / base[key]) : NaN;
    }));
    return {
      row: row.name, label: row.label, vs: row.vs, info: !!row.info,
      recordsPerSec: median(mine.map((r) => r.recordsPerSec)), ratio: row.vs ? ratio('recordsPerSec') : 1,
      ratios: row.vs ? mine.map((r) => r.recordsPerSec / (runs.find((b) => b.row === row.vs && b.round === r.round)?.recordsPerSec ?? NaN)) : [],
      cpuUsPerRecord: median(mine.map((r) => r.cpuUsPerRecord)), cpuRatio: row.vs ? ratio('cpuUsPerRecord') : 1,
      cpuPctOfCore: median(mine.map((r) => r.cpuPctOfCore)), otherCpuPctOfCore: median(mine.map((r) => r.otherCpuPctOfCore)),
    };
  });
  const lines = [
    '| row | records/s | ×baseline | consumer CPU µs/record | CPU ×baseline | consumer CPU % of a core |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...table.map((t) => `| ${t.label} | ${fmt(t.recordsPerSec)} | ${t.vs ? `${fmt(t.ratio, 2)}x` : 'baseline'} | ${fmt(t.cpuUsPerRecord, 1)} | ${t.vs ? `${fmt(t.cpuRatio, 2)}x` : '-'} | ${fmt(t.cpuPctOfCore)} |`),
    '',
    `medians of ${ROUNDS} round(s), ${MESSAGES} QoS 1 messages each, drained from a persistent session; ×baseline is the median of per-round ratios.`,
    `other CPU on the machine during runs (median % of a core): ${table.map((t) => `${t.row} ${fmt(t.otherCpuPctOfCore)}`).join(', ')}`,
    '',
    'goal check (Nucleon >= 0.90x plain mqtt.js, QoS 1):',
    ...table.filter((t) => t.vs && !t.info).map((t) => `  ${t.ratio >= 0.9 ? 'PASS' : 'MISS'} ${t.row}: ${fmt(t.ratio, 2)}x ${t.vs} (per round: ${t.ratios.map((x) => fmt(x, 2)).join(', ')})`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `mqtt-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ bench: 'mqtt', when: new Date().toISOString(), node: process.version, cpus: cpus().length,
    cpuModel: cpus()[0]?.model, messages: MESSAGES, bodyBytes: BODY.length, rounds: ROUNDS, url: URL_, table, runs }, null, 2)}\n`);
  log(`raw results: ${file}`);
  process.exit(0);
}

main().catch((err) => {
  log(`failed: ${err.stack ?? err}`);
  process.exit(1);
});
