// The baseline of bench/kafka: a plain kafkajs 2.2.4 eachBatch consumer, as the kafkajs docs
// write one but without an await per message: a no-op per message, resolveOffset per message,
// heartbeat() at most every 100 ms (the docs await it per message; kafkajs only sends one per
// heartbeatInterval anyway, and the Nucleon trigger also asks every 100 ms, so per-message
// awaits would only slow the baseline down), and autoCommit left at its default:
// with no autoCommitInterval/autoCommitThreshold kafkajs commits every resolved offset after
// each batch (runner.js: autoCommitOffsets() at the end of processEachBatch's caller), which is
// also what the Nucleon trigger does (one commit per partition batch).
// Usage: node baseline.mjs <brokers,comma> <topic> <group> <partitionsConsumedConcurrently>
// Runs until SIGTERM/SIGINT; the bench runner decides when it is done (committed offsets).
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const [brokers, topic, groupId, concurrency] = process.argv.slice(2);
if (!brokers || !topic || !groupId) {
  process.stderr.write('usage: node baseline.mjs <brokers> <topic> <group> [concurrency]\n');
  process.exit(2);
}

const kafka = new Kafka({ clientId: 'bench-baseline', brokers: brokers.split(','), logLevel: logLevel.WARN });
const consumer = kafka.consumer({ groupId });
let handled = 0;
const noop = (message) => message; // the same (non-)work as the Nucleon handler

await consumer.connect();
await consumer.subscribe({ topics: [topic], fromBeginning: true });
await consumer.run({
  partitionsConsumedConcurrently: Math.max(1, Number(concurrency ?? 1)),
  eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
    let lastBeat = Date.now();
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) break;
      noop(message);
      handled += 1;
      resolveOffset(message.offset);
      const now = Date.now();
      if (now - lastBeat >= 100) {
        lastBeat = now;
        await heartbeat();
      }
    }
  },
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  try { await consumer.disconnect(); } finally { process.stderr.write(`baseline: handled ${handled}\n`); process.exit(0); }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
