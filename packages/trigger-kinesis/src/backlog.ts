import { GetRecordsCommand, GetShardIteratorCommand, ListShardsCommand, type KinesisClient, type Shard, type ShardIteratorType } from '@aws-sdk/client-kinesis';
import { createError, ErrorCodes, isNucleonError, type Backlog, type BacklogProbeOptions, type FunctionConfig } from '@nucleon/core';
import { FileCheckpointStore } from './checkpoint-store.js';
import { readKinesisSettings, type KinesisSettings } from './config.js';
import { createKinesisClient, errorText } from './kinesis-client.js';
import { startPositionOf } from './start-position.js';

/** Records read per shard at most: enough to say "there is work", cheap enough to do every second. */
export const PROBE_RECORD_LIMIT = 10;

/** One shard's answer. */
interface ShardLook { shard: string; records: number; millisBehind: number }

/**
 * Stream wake: for each shard the trigger would read next, the records present after its
 * checkpoint (or from where a shard without one would start), read with GetShardIterator and
 * one GetRecords of at most {@link PROBE_RECORD_LIMIT}. Reading moves nothing in Kinesis; the
 * checkpoints are only read, never written. `pending` is therefore a lower bound past the limit;
 * the detail adds the largest MillisBehindLatest (the iterator age).
 */
export async function kinesisBacklog(options: BacklogProbeOptions): Promise<Backlog> {
  // The processor has the function's env on top of its own: a NUCLEON_HOME there moves the checkpoints.
  const settings = readKinesisSettings(options.name, options.config, options.function.metadata.name, processorEnv(options.function));
  const client = createKinesisClient(settings, 4);
  try {
    const shards = await listShards(client, settings, options.signal);
    if (shards === undefined) return { pending: 0, detail: `stream ${settings.streamName} does not exist` };
    const looks: ShardLook[] = [];
    for (const { shard, position } of await shardsToRead(shards, settings)) {
      options.signal?.throwIfAborted();
      looks.push(await lookAt(client, settings.streamName, shard, position, options.signal));
    }
    const pending = looks.reduce((sum, l) => sum + l.records, 0);
    const behind = Math.max(0, ...looks.map((l) => l.millisBehind));
    const busy = looks.filter((l) => l.records > 0).map((l) => `${l.shard}:${l.records >= PROBE_RECORD_LIMIT ? `${l.records}+` : l.records}`);
    return { pending, detail: `${settings.streamName}: ${busy.length > 0 ? busy.join(', ') : 'nothing'} after the checkpoints, iterator age ${behind} ms` };
  } catch (err) {
    if (isNucleonError(err)) throw err;
    throw createError(ErrorCodes.PLUGIN_FAILED,
      `kinesis trigger ${options.name}: cannot look at stream ${settings.streamName}: ${errorText(err)}`,
      { cause: err, details: { trigger: options.name } });
  } finally {
    client.destroy();
  }
}

function processorEnv(fn: FunctionConfig): NodeJS.ProcessEnv {
  return { ...process.env, ...Object.fromEntries((fn.spec.env ?? []).map((e) => [e.name, e.value])) };
}

/** Every shard of the stream, or undefined when the stream does not exist. */
async function listShards(client: KinesisClient, settings: KinesisSettings, signal: AbortSignal | undefined): Promise<Shard[] | undefined> {
  const shards: Shard[] = [];
  let token: string | undefined;
  try {
    do {
      const out = await client.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: settings.streamName }),
        signal ? { abortSignal: signal } : {});
      shards.push(...(out.Shards ?? []));
      token = out.NextToken;
    } while (token);
  } catch (err) {
    if ((err as { name?: string }).name === 'ResourceNotFoundException') return undefined;
    throw err;
  }
  return shards;
}

/**
 * The shards the trigger would read on its next start and where it would begin each, by the
 * trigger's own rules (the `shards` filter following children, a child waiting for its
 * parents, {@link startPositionOf}); a shard it would start at LATEST holds nothing for it.
 */
async function shardsToRead(shards: Shard[], settings: KinesisSettings): Promise<{ shard: string; position: { type: ShardIteratorType; sequenceNumber?: string } }[]> {
  const store = new FileCheckpointStore(settings.checkpointDir, settings.streamName);
  const listed = new Set(shards.map((s) => s.ShardId!));
  const selected = settings.shards ? new Set(settings.shards) : undefined;
  const out: { shard: string; position: { type: ShardIteratorType; sequenceNumber?: string } }[] = [];
  for (const shard of [...shards].sort((a, b) => a.ShardId!.localeCompare(b.ShardId!))) {
    const id = shard.ShardId!;
    const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter((p): p is string => !!p && listed.has(p));
    if (selected && !selected.has(id)) {
      if (!parents.some((p) => selected.has(p))) continue;
      selected.add(id);
    }
    const checkpoint = await store.load(id);
    if (checkpoint.ended) continue;
    const parentCheckpoints = await Promise.all(parents.map((p) => store.load(p)));
    if (parentCheckpoints.some((p) => p.ended !== true)) continue; // read after its parents, which are counted
    const position = startPositionOf(parentCheckpoints, checkpoint.sequenceNumber, true, settings.iteratorType);
    if (position === undefined) continue;
    out.push({ shard: id, position: { type: position.type, ...('sequenceNumber' in position ? { sequenceNumber: position.sequenceNumber } : {}) } });
  }
  return out;
}

async function lookAt(client: KinesisClient, stream: string, shard: string, position: { type: ShardIteratorType; sequenceNumber?: string },
  signal: AbortSignal | undefined): Promise<ShardLook> {
  const opts = signal ? { abortSignal: signal } : {};
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({
    StreamName: stream, ShardId: shard, ShardIteratorType: position.type,
    ...(position.sequenceNumber ? { StartingSequenceNumber: position.sequenceNumber } : {}),
  }), opts);
  if (!ShardIterator) return { shard, records: 0, millisBehind: 0 };
  const out = await client.send(new GetRecordsCommand({ ShardIterator, Limit: PROBE_RECORD_LIMIT }), opts);
  return { shard, records: out.Records?.length ?? 0, millisBehind: out.MillisBehindLatest ?? 0 };
}
