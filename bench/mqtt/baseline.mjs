// The baseline: a plain mqtt.js subscriber with the trigger's client options (MQTT 5, persistent
// session, same client id scheme) that acks each QoS 1 message after a no-op "handler" (mqtt.js
// sends the PUBACK when handleMessage calls back).
//   node baseline.mjs <mqtt url> <clientId> <expected count>
// Prints {"event":"first"} on the first message and {"event":"done"} once it acked <expected>
// messages, then waits for SIGTERM so the runner can read its CPU time first.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../packages/trigger-mqtt/package.json', import.meta.url));
const mqtt = require('mqtt');
const [url, clientId, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg);
const noop = () => '';
let count = 0;

const client = mqtt.connect(url, {
  clientId, clean: false, protocolVersion: 5, keepalive: 60, reconnectPeriod: 1000, manualConnect: true,
  properties: { sessionExpiryInterval: 0xffffffff },
});
client.handleMessage = (packet, callback) => {
  if (count === 0) process.stdout.write('{"event":"first"}\n');
  noop(packet.payload);
  count += 1;
  callback();
  if (count === expected) process.stdout.write(`{"event":"done","count":${count}}\n`);
};
client.on('error', (err) => process.stderr.write(`baseline: ${err.message}\n`));
client.connect();
process.once('SIGTERM', () => {
  client.endAsync().catch(() => undefined).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
