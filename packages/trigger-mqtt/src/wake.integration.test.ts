import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileLines, functionDir, functionYaml, startProcessor, triggerYaml, until, type StartedProcessor } from '@nucleon/processor/testing';
import plugin from './index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PORT = Number(process.env.NUCLEON_MQTT_PORT ?? 1883);
const RUN = `${process.pid}-${Date.now().toString(36)}`;
const HANDLER = `const fs = require('node:fs');
exports.handler = async (context, event) => { fs.appendFileSync(process.env.SEEN_FILE, event.body.toString() + '\\n'); return 'ok'; };`;

let pub: MqttClient;
const running: StartedProcessor[] = [];

beforeAll(async () => {
  execFileSync('bash', [join(ROOT, 'scripts/services/mosquitto.sh'), 'start'], { stdio: 'inherit', timeout: 120_000 });
  pub = await mqtt.connectAsync(`mqtt://127.0.0.1:${PORT}`, { clientId: `nucleon-wake-pub-${RUN}` });
}, 180_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await pub?.endAsync(true);
});

/**
 * MQTT has no backlog probe (docs/trigger-mqtt.md, "Waking from zero"): what a function at
 * zero relies on instead is the persistent session, checked here the way the scaler uses it.
 */
describe('mqtt function at zero (mosquitto)', () => {
  it('has no backlog probe: it wakes only through HTTP or its other triggers', () => {
    expect(plugin.backlog).toBeUndefined();
  });

  it('gets the QoS 1 and 2 messages published while its processor was stopped, once it starts again', async () => {
    const topic = `nucleon/${RUN}/wake`;
    const trigger = triggerYaml({
      name: 'sensors', kind: 'mqtt', extra: [`url: tcp://127.0.0.1:${PORT}`],
      attributes: [`clientID: nucleon-wake-${RUN}`, 'subscriptions:', `  - {topic: "${topic}/1", qos: 1}`, `  - {topic: "${topic}/2", qos: 2}`],
    });
    const dir = functionDir({ 'function.yaml': functionYaml({ trigger }), 'main.js': HANDLER });
    const seen = join(dir, 'seen.txt');
    const first = await startProcessor(dir, { env: { SEEN_FILE: seen } });
    running.push(first);
    expect(await first.stop('SIGTERM')).toBe(0);

    const bodies = Array.from({ length: 20 }, (_, i) => `m-${i}`);
    for (const [i, body] of bodies.entries()) await pub.publishAsync(`${topic}/${1 + (i % 2)}`, body, { qos: (1 + (i % 2)) as 1 | 2 });
    const woken = await startProcessor(dir, { env: { SEEN_FILE: seen } });
    running.push(woken);
    await until('every message published at zero handled', () => fileLines(seen).length >= bodies.length, 20_000);
    expect(await woken.stop('SIGTERM')).toBe(0);
    expect(fileLines(seen).sort()).toEqual([...bodies].sort());
  }, 60_000);
});
