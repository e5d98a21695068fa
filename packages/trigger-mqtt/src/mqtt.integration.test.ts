import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type IPublishPacket, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, functionDir, functionYaml, startProcessor, triggerYaml, until, type StartedProcessor } from '@nucleon/processor/testing';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/services/mosquitto.sh');
const PORT = Number(process.env.NUCLEON_MQTT_PORT ?? 1883);
const URL_ = `tcp://127.0.0.1:${PORT}`;
const RUN = `${process.pid}-${Date.now().toString(36)}`;

/** Appends every body it sees (one line per attempt) and throws for bodies starting with "poison". */
const HANDLER = `const fs = require('node:fs');
exports.handler = async (context, event) => {
  const body = event.body.toString();
  fs.appendFileSync(process.env.SEEN_FILE, body + '\\n');
  const ms = Number(process.env.HANDLER_MS || 0);
  if (ms) await new Promise((r) => setTimeout(r, ms));
  if (body.startsWith('poison')) throw new Error('cannot handle ' + body);
  return 'ok';
};`;

let pub: MqttClient;
const running: StartedProcessor[] = [];

const publisher = (): Promise<MqttClient> => mqtt.connectAsync(`mqtt://127.0.0.1:${PORT}`, { clientId: `nucleon-test-pub-${RUN}`, protocolVersion: 5, reconnectPeriod: 200 });

beforeAll(async () => {
  execFileSync('bash', [SCRIPT, 'start'], { stdio: 'inherit', timeout: 120_000 });
  pub = await publisher();
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await pub?.endAsync(true);
});

function fixture(name: string, attributes: string[], numWorkers = 1): { dir: string; seen: string } {
  const trigger = triggerYaml({ name, kind: 'mqtt', attributes, extra: [`url: ${URL_}`, `numWorkers: ${numWorkers}`] });
  const dir = functionDir({ 'function.yaml': functionYaml({ trigger }), 'main.js': HANDLER });
  return { dir, seen: join(dir, 'seen.txt') };
}

async function start(dir: string, seen: string, env: Record<string, string> = {}): Promise<StartedProcessor> {
  const p = await startProcessor(dir, { env: { SEEN_FILE: seen, ...env } });
  running.push(p);
  return p;
}

/** Publishes in order, 10 in flight at most (mosquitto's receive maximum is 20). */
async function publish(topic: string, bodies: string[], qos: 0 | 1 | 2): Promise<void> {
  for (let i = 0; i < bodies.length; i += 10) {
    await Promise.all(bodies.slice(i, i + 10).map((body) =>
      pub.publishAsync(topic, body, { qos, properties: { contentType: 'text/plain', userProperties: { 'x-test': 'yes' } } })));
  }
}

describe('mqtt trigger against a real broker (mosquitto)', () => {
  it('delivers messages end to end at QoS 0, 1 and 2', async () => {
    const base = `nucleon/${RUN}/a`;
    const { dir, seen } = fixture('sensors', [`clientID: nucleon-a-${RUN}`, 'subscriptions:',
      `  - {topic: "${base}/q0", qos: 0}`, `  - {topic: "${base}/q1", qos: 1}`, `  - {topic: "${base}/q2/+", qos: 2}`]);
    const p = await start(dir, seen);
    const by = (q: number) => Array.from({ length: 100 }, (_, i) => `q${q}-${i}`);
    await publish(`${base}/q0`, by(0), 0);
    await publish(`${base}/q1`, by(1), 1);
    await publish(`${base}/q2/x`, by(2), 2);
    await until('300 handled', () => fileLines(seen).length >= 300);
    await new Promise((r) => setTimeout(r, 300));
    expect(await p.stop('SIGTERM')).toBe(0);
    const lines = fileLines(seen);
    expect(lines).toHaveLength(300);
    // One subscription is handled in order (numWorkers 1).
    for (const q of [0, 1, 2]) expect(lines.filter((l) => l.startsWith(`q${q}-`))).toEqual(by(q));
  });

  it('retries a failing message, dead-letters it with its error as MQTT 5 user properties, and lets the rest flow', async () => {
    const [topic, dlq] = [`nucleon/${RUN}/b`, `nucleon/${RUN}/b-dlq`];
    const letters: IPublishPacket[] = [];
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${PORT}`, { clientId: `nucleon-test-dlq-${RUN}`, protocolVersion: 5 });
    watcher.on('message', (_t, _m, packet) => letters.push(packet));
    await watcher.subscribeAsync(dlq, { qos: 1 });
    const { dir, seen } = fixture('orders', [`clientID: nucleon-b-${RUN}`, 'subscriptions:', `  - {topic: "${topic}", qos: 1}`,
      'maxAttempts: 3', 'retryInitialDelayMs: 20', `deadLetter: ${dlq}`]);
    const p = await start(dir, seen);
    const bodies = Array.from({ length: 20 }, (_, i) => (i === 7 ? 'poison-7' : `ok-${i}`));
    for (const body of bodies) await publish(topic, [body], 1);
    await until('the dead letter', () => letters.length === 1);
    await until('the good messages', () => fileLines(seen).filter((l) => l.startsWith('ok-')).length === 19);
    const letter = letters[0] as IPublishPacket;
    expect(letter.payload.toString()).toBe('poison-7');
    const props = letter.properties?.userProperties as Record<string, string>;
    expect(props['x-nucleon-attempts']).toBe('3');
    expect(props['x-nucleon-error']).toContain('cannot handle poison-7');
    expect(props['x-nucleon-error-code']).toBe('NUCLEON_ERR_HANDLER_FAILED');
    expect(props['x-nucleon-source-trigger']).toBe('mqtt/orders');
    expect(props['x-nucleon-source-topic']).toBe(topic);
    expect(props['x-test']).toBe('yes');
    expect(letter.properties?.contentType).toBe('text/plain');
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(fileLines(seen).filter((l) => l === 'poison-7')).toHaveLength(3);
    await watcher.endAsync();
  });

  it.each([[1, '40'], [4, '20']])('QoS 1, %i worker(s): loses nothing when the processor is killed with SIGKILL mid-stream and restarted with the same clientID', async (workers, ms) => {
    const topic = `nucleon/${RUN}/c${workers}`;
    const { dir, seen } = fixture('orders', [`clientID: nucleon-c${workers}-${RUN}`, 'subscriptions:', `  - {topic: "${topic}", qos: 1}`], workers);
    const first = await start(dir, seen, { HANDLER_MS: ms });
    const bodies = Array.from({ length: 500 }, (_, i) => `n-${i}`);
    await publish(topic, bodies, 1);
    await until('some handled', () => fileLines(seen).length >= 50);
    await first.stop('SIGKILL');
    const handledBeforeKill = new Set(fileLines(seen)).size;
    expect(handledBeforeKill).toBeLessThan(500);
    const second = await start(dir, seen);
    await until('all handled after the restart', () => new Set(fileLines(seen)).size === 500);
    expect(await second.stop('SIGTERM')).toBe(0);
    expect(new Set(fileLines(seen))).toEqual(new Set(bodies));
  });

  it('MQTT 3.1.1 (protocolVersion 4): the dead letter is a JSON envelope with the x-nucleon-* headers', async () => {
    const [topic, dlq] = [`nucleon/${RUN}/e`, `nucleon/${RUN}/e-dlq`];
    const letters: Buffer[] = [];
    const watcher = await mqtt.connectAsync(`mqtt://127.0.0.1:${PORT}`, { clientId: `nucleon-test-dlq4-${RUN}`, protocolVersion: 4 });
    watcher.on('message', (_t, m) => letters.push(m));
    await watcher.subscribeAsync(dlq, { qos: 1 });
    const { dir, seen } = fixture('legacy', [`clientID: nucleon-e-${RUN}`, 'protocolVersion: 4', 'subscriptions:', `  - {topic: "${topic}", qos: 2}`,
      'maxAttempts: 2', 'retryInitialDelayMs: 10', `deadLetter: ${dlq}`]);
    const p = await start(dir, seen);
    await publish(topic, ['poison-bytes'], 2);
    await until('the dead letter', () => letters.length === 1);
    const envelope = JSON.parse((letters[0] as Buffer).toString()) as { format: string; headers: Record<string, string>; body: string };
    expect(envelope.format).toBe('nucleon-dead-letter/1');
    expect(Buffer.from(envelope.body, 'base64').toString()).toBe('poison-bytes');
    expect(envelope.headers['x-nucleon-attempts']).toBe('2');
    expect(envelope.headers['x-nucleon-error']).toContain('cannot handle poison-bytes');
    expect(envelope.headers['x-nucleon-source-trigger']).toBe('mqtt/legacy');
    expect(await p.stop('SIGTERM')).toBe(0);
    await watcher.endAsync();
  });

  it('QoS 1: reconnects after a broker restart and finishes the stream without losing a message', async () => {
    const topic = `nucleon/${RUN}/d`;
    const { dir, seen } = fixture('orders', [`clientID: nucleon-d-${RUN}`, 'subscriptions:', `  - {topic: "${topic}", qos: 1}`]);
    const p = await start(dir, seen, { HANDLER_MS: '10' });
    const bodies = Array.from({ length: 300 }, (_, i) => `r-${i}`);
    await publish(topic, bodies.slice(0, 200), 1);
    await until('some handled', () => fileLines(seen).length >= 50);
    expect(new Set(fileLines(seen)).size).toBeLessThan(200);
    await pub.endAsync(true);
    execFileSync('bash', [SCRIPT, 'restart'], { stdio: 'inherit', timeout: 60_000 });
    pub = await publisher();
    await publish(topic, bodies.slice(200), 1);
    await until('all 300 handled after the restart', () => new Set(fileLines(seen)).size === 300, 45_000);
    expect(p.output()).toContain('reconnected');
    expect(await p.stop('SIGTERM')).toBe(0);
    expect(new Set(fileLines(seen))).toEqual(new Set(bodies));
  }, 90_000);
});
