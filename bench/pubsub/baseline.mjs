// The baseline: a plain @google-cloud/pubsub subscriber doing what the Nucleon trigger does
// minus Nucleon: the same flow control (maxMessages, no excess), the same stream count and ack
// deadline, a no-op "handler" (the same counter and mark files as functions/noop), then ack.
//   node baseline.mjs <emulator host:port> <project> <subscription> <maxMessages> <maxStreams> <ackDeadline s> <expected> <marks prefix> [ack batch ms]
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../packages/trigger-pubsub/package.json', import.meta.url));
const { Duration, PubSub } = require('@google-cloud/pubsub');
const [host, project, name, maxArg, streamsArg, deadlineArg, expectedArg, marks, ackBatchArg] = process.argv.slice(2);
const expected = Number(expectedArg);
const deadline = Duration.from({ seconds: Number(deadlineArg) });
const ps = new PubSub({ projectId: project, apiEndpoint: host, clientOptions: { universeDomain: 'googleapis.com' } });
const sub = ps.subscription(name, {
  flowControl: { maxMessages: Number(maxArg), allowExcessMessages: false },
  minAckDeadline: deadline, maxAckDeadline: deadline,
  streamingOptions: { maxStreams: Number(streamsArg) },
  ...(ackBatchArg ? { batching: { maxMilliseconds: Number(ackBatchArg) } } : {}),
});
let count = 0;
const handler = () => {
  count += 1;
  if (count === 1) writeFileSync(`${marks}.first`, String(process.hrtime.bigint()));
  if (count === expected) writeFileSync(`${marks}.done`, String(process.hrtime.bigint()));
  return '';
};
sub.on('message', (message) => {
  handler(message.data);
  message.ack();
});
sub.on('error', (err) => process.stderr.write(`baseline: ${err.message}\n`));
process.once('SIGTERM', () => {
  sub.close().then(() => ps.close()).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
});
