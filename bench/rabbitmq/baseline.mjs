// The baseline: a plain amqplib consumer doing what the Nucleon trigger does minus Nucleon,
// i.e. manual acks, the given prefetch, and a no-op "handler" then ack for every message.
//   node baseline.mjs <amqp url> <queue> <prefetch> <expected count> [batched]
// With `batched`, it acks once per event-loop turn with `multiple` (what the Nucleon trigger
// does in explicitAckMode disable), instead of once per message: an info row showing what
// batching alone is worth.
// Prints one JSON line {"event":"first"} on the first message and {"event":"done"} once it
// acked <expected count> messages, then waits to be stopped (SIGTERM) so the runner can read
// its CPU time from /proc first.
import amqp from 'amqplib';

const [url, queue, prefetchArg, expectedArg] = process.argv.slice(2);
const prefetch = Number(prefetchArg);
const expected = Number(expectedArg);
const batched = process.argv[6] === 'batched';
const noop = () => '';

const model = await amqp.connect(url);
const channel = await model.createChannel();
await channel.prefetch(prefetch);
let count = 0;
let unacked; // batched: the newest message not acked yet
const ackBatch = () => {
  channel.ack(unacked, true);
  unacked = undefined;
  if (count === expected) process.stdout.write(`{"event":"done","count":${count}}\n`);
};
await channel.consume(queue, (msg) => {
  if (msg === null) return;
  if (count === 0) process.stdout.write('{"event":"first"}\n');
  noop(msg.content);
  count += 1;
  if (batched) {
    if (unacked === undefined) setImmediate(ackBatch);
    unacked = msg;
    return;
  }
  channel.ack(msg);
  if (count === expected) process.stdout.write(`{"event":"done","count":${count}}\n`);
}, { noAck: false });
process.stdout.write('{"event":"consuming"}\n');

process.once('SIGTERM', () => {
  model.close().catch(() => undefined).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
