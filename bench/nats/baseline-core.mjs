// The core NATS baseline: a plain `nats` queue-group subscription in callback mode with a no-op
// "handler" (core NATS has nothing to ack).
//   node baseline-core.mjs <nats url> <subject> <queue> <expected count>
// Prints {"event":"consuming"} once subscribed, {"event":"first"} on the first message and
// {"event":"done"} at <expected count>, then waits for SIGTERM.
import { createRequire } from 'node:module';

const { connect } = createRequire(import.meta.url)('../../packages/trigger-nats/node_modules/nats');
const [url, subject, queue, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg);
const noop = () => '';

const nc = await connect({ servers: url });
let count = 0;
nc.subscribe(subject, {
  queue,
  callback: (_err, msg) => {
    if (count === 0) process.stdout.write('{"event":"first"}\n');
    noop(msg.data);
    count += 1;
    if (count === expected) process.stdout.write(`{"event":"done","count":${count}}\n`);
  },
});
await nc.flush();
process.stdout.write('{"event":"consuming"}\n');

process.once('SIGTERM', () => {
  nc.close().catch(() => undefined).finally(() => process.exit(0));
  setTimeout(() => process.exit(0), 2000).unref();
});
