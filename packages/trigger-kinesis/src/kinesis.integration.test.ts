import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand, DeleteStreamCommand, DescribeStreamSummaryCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand,
  MergeShardsCommand, PutRecordsCommand, SplitShardCommand, type Shard,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fileLines, functionDir, functionYaml, startProcessor, triggerYaml, until, type StartedProcessor,
} from '@nucleon/processor/testing';
import { decodeKinesisDeadLetter } from './dead-letter.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ENDPOINT = `http://127.0.0.1:${process.env.NUCLEON_KINESIS_PORT ?? '4567'}`;
const RUN = `${process.pid}-${Date.now().toString(36)}`;

/**
 * Appends one line per attempt: `pid shard sequence body`, after HANDLER_MS ms (sync when 0);
 * throws for bodies starting with "poison".
 */
const HANDLER = `const fs = require('node:fs');
const ms = Number(process.env.HANDLER_MS || 0);
const note = (event) => {
  const body = event.body.toString();
  fs.appendFileSync(process.env.SEEN_FILE, [process.pid, event.shardId, event.offset, body].join(' ') + '\\n');
  if (body.startsWith('poison')) throw new Error('cannot handle ' + body);
  return 'ok';
};
exports.handler = ms ? async (context, event) => { await new Promise((r) => setTimeout(r, ms)); return note(event); }
  : (context, event) => note(event);`;

interface Seen { pid: string; shard: string; seq: string; body: string }

const client = new KinesisClient({
  endpoint: ENDPOINT, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  requestHandler: new NodeHttpHandler(),
});
const running: StartedProcessor[] = [];
/** Deleted at the end: kinesalite counts open shards across streams against its shard limit. */
const streams: string[] = [];

beforeAll(() => {
  execFileSync('bash', [join(ROOT, 'scripts/services/kinesalite.sh'), 'start'], { stdio: 'inherit', timeout: 60_000 });
}, 70_000);

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await Promise.all(streams.map((name) => client.send(new DeleteStreamCommand({ StreamName: name })).catch(() => undefined)));
  client.destroy();
});

async function streamWith(name: string, shards: number): Promise<string> {
  const stream = `${name}-${RUN}`;
  await client.send(new CreateStreamCommand({ StreamName: stream, ShardCount: shards }));
  streams.push(stream);
  await until(`stream ${stream} active`, async () =>
    (await client.send(new DescribeStreamSummaryCommand({ StreamName: stream }))).StreamDescriptionSummary?.StreamStatus === 'ACTIVE', 20_000);
  return stream;
}

/** Puts records `<key>-<i>` (or poison-...) for every key, in per-key order, 500 per request. */
async function put(stream: string, keys: string[], from: number, to: number, poison: (key: string, i: number) => boolean = () => false): Promise<void> {
  const entries: Array<{ PartitionKey: string; Data: Buffer }> = [];
  for (let i = from; i < to; i += 1) {
    for (const key of keys) entries.push({ PartitionKey: key, Data: Buffer.from(`${poison(key, i) ? 'poison-' : ''}${key}-${i}`) });
  }
  for (let at = 0; at < entries.length; at += 500) {
    const out = await client.send(new PutRecordsCommand({ StreamName: stream, Records: entries.slice(at, at + 500) }));
    expect(out.FailedRecordCount ?? 0).toBe(0);
  }
}

function fixture(stream: string, attributes: string[] = [], numWorkers = 4): { dir: string; seen: string; checkpoints: string } {
  const checkpoints = mkdtempSync(join(tmpdir(), 'nucleon-kcp-'));
  const trigger = triggerYaml({
    name: 'stream', kind: 'kinesis', extra: [`numWorkers: ${numWorkers}`],
    attributes: [`streamName: ${stream}`, `endpoint: ${ENDPOINT}`, 'regionName: us-east-1', 'accessKeyID: test', 'secretAccessKey: test',
      ...(attributes.some((a) => a.startsWith('iteratorType:')) ? [] : ['iteratorType: TRIM_HORIZON']),
      'pollingPeriod: 100ms', `checkpointDir: ${checkpoints}`, ...attributes],
  });
  const dir = functionDir({ 'function.yaml': functionYaml({ trigger }), 'main.js': HANDLER });
  return { dir, seen: join(dir, 'seen.txt'), checkpoints };
}

async function start(dir: string, seen: string, env: Record<string, string> = {}): Promise<StartedProcessor> {
  const p = await startProcessor(dir, { env: { SEEN_FILE: seen, ...env }, readyTimeoutMs: 60_000 });
  running.push(p);
  return p;
}

function seenLines(file: string): Seen[] {
  return fileLines(file).map((line) => {
    const [pid, shard, seq, body] = line.split(' ');
    return { pid: pid!, shard: shard!, seq: seq!, body: body! };
  });
}

const unique = (file: string): Set<string> => new Set(seenLines(file).map((s) => s.body));
const expected = (keys: string[], to: number): string[] => keys.flatMap((k) => Array.from({ length: to }, (_, i) => `${k}-${i}`));
const keyOf = (body: string): string => body.replace(/^poison-/, '').split('-')[0]!;
const indexOf = (body: string): number => Number(body.split('-').pop());

/** Per key, the first handling of each record comes in put order (a redelivery may repeat earlier ones). */
function expectKeyOrder(lines: Seen[]): void {
  const last = new Map<string, number>();
  const firstSeen = new Set<string>();
  for (const l of lines) {
    if (firstSeen.has(l.body)) continue;
    firstSeen.add(l.body);
    const key = keyOf(l.body);
    const i = indexOf(l.body);
    expect(i, `${l.body} after ${key}-${last.get(key)}`).toBe((last.get(key) ?? -1) + 1);
    last.set(key, i);
  }
}

async function listShards(stream: string): Promise<Shard[]> {
  return (await client.send(new ListShardsCommand({ StreamName: stream }))).Shards ?? [];
}

const KEYS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

describe('Kinesis trigger against kinesalite', () => {
  it('handles 4,000 records over 3 shards, each once, in sequence order per shard and put order per key', async () => {
    const stream = await streamWith('ordered', 3);
    await put(stream, KEYS, 0, 500);
    const { dir, seen } = fixture(stream);
    const p = await start(dir, seen);
    await until('4,000 records handled', () => seenLines(seen).length >= 4000, 90_000);
    await p.stop('SIGTERM');

    const lines = seenLines(seen);
    expect(lines).toHaveLength(4000);
    expect(new Set(lines.map((l) => l.body))).toEqual(new Set(expected(KEYS, 500)));
    const shards = new Set(lines.map((l) => l.shard));
    expect(shards.size).toBeGreaterThanOrEqual(2);
    for (const shard of shards) {
      const seqs = lines.filter((l) => l.shard === shard).map((l) => BigInt(l.seq));
      expect(seqs.every((s, i) => i === 0 || s > seqs[i - 1]!)).toBe(true);
    }
    expectKeyOrder(lines);
  }, 120_000);

  it('retries a failing record, then puts it to the dead-letter stream in a JSON envelope, and goes on', async () => {
    const stream = await streamWith('poison', 2);
    const dlq = await streamWith('poison-dlq', 1);
    await put(stream, ['a', 'b'], 0, 50, (key, i) => key === 'a' && i === 10);
    const { dir, seen } = fixture(stream, ['maxAttempts: 3', 'retryInitialDelayMs: 20', `deadLetter: ${dlq}`]);
    const p = await start(dir, seen);
    await until('every record handled', () => unique(seen).size === 100, 60_000);
    const lines = seenLines(seen);
    expect(lines.filter((l) => l.body === 'poison-a-10')).toHaveLength(3);
    expectKeyOrder(lines);

    const [shard] = await listShards(dlq);
    const iterator = (await client.send(new GetShardIteratorCommand({ StreamName: dlq, ShardId: shard!.ShardId!, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    const records = (await client.send(new GetRecordsCommand({ ShardIterator: iterator! }))).Records ?? [];
    expect(records).toHaveLength(1);
    expect(records[0]!.PartitionKey).toBe('a');
    const letter = decodeKinesisDeadLetter(records[0]!.Data!)!;
    const source = lines.find((l) => l.body === 'poison-a-10')!;
    expect(letter.body.toString()).toBe('poison-a-10');
    expect(letter.headers).toMatchObject({
      'x-nucleon-attempts': '3', 'x-nucleon-source-trigger': 'kinesis/stream', 'x-nucleon-source-topic': stream,
      'x-nucleon-source-partition': source.shard, 'x-nucleon-source-offset': source.seq,
      'x-nucleon-error': expect.stringContaining('cannot handle poison-a-10'),
    });
    await p.stop('SIGTERM');
  }, 90_000);

  it('resumes from its checkpoint after SIGKILL: nothing lost, and only about a checkpoint interval handled twice', async () => {
    const stream = await streamWith('crash', 2);
    await put(stream, KEYS, 0, 500);
    const { dir, seen, checkpoints } = fixture(stream, ['checkpointInterval: 200ms']);
    const first = await start(dir, seen, { HANDLER_MS: '3' });
    const checkpointed = (): boolean => {
      const folder = join(checkpoints, stream);
      return existsSync(folder) && readdirSync(folder).some((f) => f.startsWith('shardId') &&
        typeof JSON.parse(readFileSync(join(folder, f), 'utf8')).sequenceNumber === 'string');
    };
    await until('1,000 records handled and a checkpoint written', () => seenLines(seen).length >= 1000 && checkpointed(), 60_000);
    await first.stop('SIGKILL');
    const beforeKill = seenLines(seen).length;
    expect(beforeKill).toBeLessThan(4000);

    const second = await start(dir, seen);
    await until('every record handled after the restart', () => unique(seen).size === 4000, 90_000);
    await second.stop('SIGTERM');
    // The restart asked for the records after its checkpoints, not for the whole shards again.
    const starts = second.logLines().filter((l) => l.msg === 'Kinesis shard reader starting' || l.message === 'Kinesis shard reader starting');
    expect(starts).toHaveLength(2);
    expect(starts.every((l) => (l.from as { type: string }).type === 'AFTER_SEQUENCE_NUMBER')).toBe(true);
    const lines = seenLines(seen);
    const twice = lines.length - 4000;
    // At most what two shards handle in one 200 ms interval plus the record in flight, far from a replay of beforeKill.
    expect(twice).toBeGreaterThanOrEqual(0);
    expect(twice).toBeLessThan(Math.min(400, beforeKill / 2));
    const secondRun = lines.filter((l) => l.pid !== lines[0]!.pid);
    expect(secondRun.length).toBeLessThan(4000 - beforeKill + 400);
  }, 180_000);

  it('a graceful stop (SIGTERM) writes its checkpoints: the restart handles nothing twice', async () => {
    const stream = await streamWith('graceful', 2);
    await put(stream, KEYS, 0, 250);
    const { dir, seen } = fixture(stream, ['checkpointInterval: 30s']);
    const first = await start(dir, seen, { HANDLER_MS: '2' });
    await until('500 records handled', () => seenLines(seen).length >= 500, 60_000);
    expect(await first.stop('SIGTERM')).toBe(0);
    expect(seenLines(seen).length).toBeLessThan(2000);
    const second = await start(dir, seen);
    await until('every record handled after the restart', () => unique(seen).size === 2000, 60_000);
    await second.stop('SIGTERM');
    expect(seenLines(seen)).toHaveLength(2000);
    expectKeyOrder(seenLines(seen));
  }, 120_000);

  it('iteratorType LATEST skips what was put before the start and reads what comes after', async () => {
    const stream = await streamWith('latest', 2);
    await put(stream, ['a', 'b'], 0, 50);
    const { dir, seen } = fixture(stream, ['iteratorType: LATEST'], 2);
    const p = await start(dir, seen);
    await put(stream, ['a', 'b'], 50, 100);
    await until('the new records handled', () => unique(seen).size >= 100, 30_000);
    await p.stop('SIGTERM');
    expect(new Set(seenLines(seen).map((l) => l.body))).toEqual(new Set(expected(['a', 'b'], 100).filter((b) => indexOf(b) >= 50)));
  }, 60_000);

  it('follows a split and then a merge mid-stream: nothing lost, put order kept per key across parent and children', async () => {
    const stream = await streamWith('reshard', 1);
    const keys = Array.from({ length: 16 }, (_, i) => `k${i}`);
    await put(stream, keys, 0, 100);
    const { dir, seen } = fixture(stream, ['shardSyncInterval: 1s'], 4);
    const p = await start(dir, seen, { HANDLER_MS: '1' });
    await until('some records handled', () => seenLines(seen).length >= 200, 30_000);
    const [parent] = await listShards(stream);
    await client.send(new SplitShardCommand({ StreamName: stream, ShardToSplit: parent!.ShardId!, NewStartingHashKey: (2n ** 127n).toString() }));
    await until('split done', async () => (await listShards(stream)).length === 3, 20_000);
    await put(stream, keys, 100, 200);
    const children = (await listShards(stream)).filter((s) => s.ParentShardId === parent!.ShardId);
    expect(children).toHaveLength(2);
    await until('records reach both children', () => new Set(seenLines(seen).map((l) => l.shard)).size === 3, 60_000);
    await client.send(new MergeShardsCommand({ StreamName: stream, ShardToMerge: children[0]!.ShardId!, AdjacentShardToMerge: children[1]!.ShardId! }));
    await until('merge done', async () => (await listShards(stream)).length === 4, 20_000);
    await put(stream, keys, 200, 300);
    await until('every record handled', () => unique(seen).size === keys.length * 300, 90_000);
    await p.stop('SIGTERM');

    const lines = seenLines(seen);
    expect(new Set(lines.map((l) => l.shard)).size).toBe(4);
    expect(lines).toHaveLength(keys.length * 300);
    expectKeyOrder(lines);
  }, 180_000);
});
