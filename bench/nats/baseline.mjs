// The baseline: a plain `nats` JetStream consumer doing what the Nucleon trigger does minus
// Nucleon: the same durable pull consumer (explicit acks, same max_ack_pending), `consume` in
// callback mode with the same max_messages, a no-op "handler", then msg.ack() for every message.
//   node baseline.mjs <nats url> <stream> <durable> <expected count> <max_messages>
// Prints {"event":"first"} on the first message and {"event":"done"} once it acked <expected
// count> messages, then waits to be stopped (SIGTERM) so the runner can read its CPU time first.
import { createRequire } from 'node:module';

const { connect } = createRequire(import.meta.url)('../../packages/trigger-nats/node_modules/nats');

const [url, stream, durable, expectedArg, maxArg] = process.argv.slice(2);
const expected = Number(expectedArg);
const noop = () => '';

const nc = await connect({ servers: url });
const consumer = await nc.jetstream().consumers.get(stream, durable);
let count = 0;
await consumer.consume({
  max_messages: Number(maxArg),
  callback: (msg) => {
    if (count === 0) process.stdout.write('{"event":"first"}\n');
    noop(msg.data);
    msg.ack();
    count += 1;
    if (count === expected) process.stdout.write(`{"event":"done","count":${count}}\n`);
  },
});
process.stdout.write('{"event":"consuming"}\n');

process.once('SIGTERM', () => {
  nc.close().catch(() => undefined).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
