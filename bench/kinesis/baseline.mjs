// The baseline: a plain GetRecords polling loop per shard with the same SDK client, what the
// Nucleon trigger does minus Nucleon: TRIM_HORIZON, the same Limit, poll again at once after a
// non-empty page, wait the polling period after an empty one, a no-op "handler" per record.
//   node baseline.mjs <endpoint> <stream> <batch limit> <polling ms> <expected count>
// Prints {"event":"first"} on the first record and {"event":"done"} at <expected count>, then
// waits to be stopped (SIGTERM) so the runner can read its CPU time from /proc first.
import { client as makeClient, kinesis } from './sdk.mjs';

const [endpoint, stream, limitArg, pollArg, expectedArg] = process.argv.slice(2);
const limit = Number(limitArg);
const pollMs = Number(pollArg);
const expected = Number(expectedArg);
const noop = () => '';
const client = await makeClient(endpoint);
let count = 0;
let stopping = false;

async function shardLoop(shardId) {
  let iterator = (await client.send(new kinesis.GetShardIteratorCommand({ StreamName: stream, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  while (iterator && !stopping) {
    const page = await client.send(new kinesis.GetRecordsCommand({ ShardIterator: iterator, Limit: limit }));
    const records = page.Records ?? [];
    for (const record of records) {
      if (count === 0) process.stdout.write('{"event":"first"}\n');
      noop(record.Data);
      count += 1;
      if (count === expected) process.stdout.write(`{"event":"done","count":${count}}\n`);
    }
    iterator = page.NextShardIterator;
    if (records.length === 0) await new Promise((r) => setTimeout(r, pollMs));
  }
}

const shards = (await client.send(new kinesis.ListShardsCommand({ StreamName: stream }))).Shards ?? [];
process.stdout.write('{"event":"consuming"}\n');
for (const s of shards) void shardLoop(s.ShardId).catch((err) => { process.stderr.write(`${err}\n`); process.exit(1); });

process.once('SIGTERM', () => {
  stopping = true;
  client.destroy();
  process.exit(0);
});
