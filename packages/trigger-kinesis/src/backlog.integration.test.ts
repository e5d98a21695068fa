import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, KinesisClient, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backlogProbeOptions } from '@nucleon/core/testing';
import { until } from '@nucleon/processor/testing';
import { FileCheckpointStore } from './checkpoint-store.js';
import plugin from './index.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ENDPOINT = `http://127.0.0.1:${process.env.NUCLEON_KINESIS_PORT ?? '4567'}`;
const RUN = `${process.pid}-${Date.now().toString(36)}`;
/** Hash keys that land on the first and the second of two shards. */
const SHARD_0 = '0';
const SHARD_1 = (2n ** 128n - 1n).toString();
const client = new KinesisClient({
  endpoint: ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, requestHandler: new NodeHttpHandler(),
});
const streams: string[] = [];

beforeAll(() => {
  execFileSync('bash', [join(ROOT, 'scripts/services/kinesalite.sh'), 'start'], { stdio: 'inherit', timeout: 60_000 });
}, 70_000);

afterAll(async () => {
  await Promise.all(streams.map((name) => client.send(new DeleteStreamCommand({ StreamName: name })).catch(() => undefined)));
  client.destroy();
});

async function streamWith(name: string): Promise<string> {
  const stream = `${name}-${RUN}`;
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: 2 }));
  streams.push(stream);
  await until(`stream ${stream} active`, async () =>
    (await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE', 20_000);
  return stream;
}

/** Puts `count` records on one shard and returns their sequence numbers. */
async function put(stream: string, hashKey: string, count: number): Promise<string[]> {
  const out = await client.send(new PutRecordsCommand({
    StreamName: stream,
    Records: Array.from({ length: count }, (_, i) => ({ PartitionKey: 'k', ExplicitHashKey: hashKey, Data: Buffer.from(`r-${i}`) })),
  }));
  return (out.Records ?? []).map((r) => r.SequenceNumber!);
}

function probe(stream: string, checkpointDir: string, attributes: Record<string, unknown> = {}) {
  return plugin.backlog!(backlogProbeOptions(plugin, {
    kind: 'kinesis',
    attributes: { streamName: stream, endpoint: ENDPOINT, regionName: 'us-east-1', accessKeyID: 'test', secretAccessKey: 'test', checkpointDir, ...attributes },
  }));
}

describe('kinesis backlog probe (kinesalite)', () => {
  it('counts the records after each shard\'s checkpoint, reading the checkpoints without writing them', async () => {
    const stream = await streamWith('backlog');
    const first = await put(stream, SHARD_0, 4);
    await put(stream, SHARD_1, 2);
    const dir = mkdtempSync(join(tmpdir(), 'nucleon-kbl-'));
    // No checkpoint yet: TRIM_HORIZON starts at the oldest record; LATEST would skip what is there.
    expect(await probe(stream, dir, { iteratorType: 'TRIM_HORIZON' }))
      .toMatchObject({ pending: 6, detail: expect.stringContaining('shardId-000000000000:4, shardId-000000000001:2') });
    expect(await probe(stream, dir)).toMatchObject({ pending: 0, detail: expect.stringContaining('nothing') });
    expect(readdirSync(dir)).toEqual([]);

    // The trigger handled three records of shard 0 and all of shard 1.
    const store = new FileCheckpointStore(dir, stream);
    await store.open();
    store.handled('shardId-000000000000', first[2]!);
    store.handled('shardId-000000000001', (await put(stream, SHARD_1, 1))[0]!);
    await store.flush();
    const file = join(store.directory, 'shardId-000000000000.json');
    const before = readFileSync(file, 'utf8');
    for (const iteratorType of ['LATEST', 'TRIM_HORIZON']) {
      expect(await probe(stream, dir, { iteratorType })).toMatchObject({ pending: 1, detail: expect.stringContaining('shardId-000000000000:1') });
    }
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(readdirSync(store.directory).sort()).toEqual(['.writable', 'shardId-000000000000.json', 'shardId-000000000001.json']);
  });

  it('reads at most a few records per shard and says the count is a lower bound', async () => {
    const stream = await streamWith('backlog-many');
    await put(stream, SHARD_1, 25);
    const backlog = await probe(stream, mkdtempSync(join(tmpdir(), 'nucleon-kbl-')), { iteratorType: 'TRIM_HORIZON' });
    expect(backlog).toMatchObject({ pending: 10, detail: expect.stringContaining('shardId-000000000001:10+') });
  });

  it('counts a stream that does not exist as empty, and rejects with a coded error when the endpoint does not answer', async () => {
    const dir = join(tmpdir(), `nucleon-kbl-none-${RUN}`);
    expect(await probe(`none-${RUN}`, dir)).toMatchObject({ pending: 0, detail: expect.stringContaining('does not exist') });
    expect(existsSync(dir)).toBe(false);
    await expect(probe('s', dir, { endpoint: 'http://127.0.0.1:1' }))
      .rejects.toMatchObject({ code: 'NUCLEON_ERR_PLUGIN_FAILED', message: expect.stringContaining('cannot look at stream s') });
  });
});
