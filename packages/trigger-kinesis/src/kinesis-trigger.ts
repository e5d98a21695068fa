import { randomBytes } from 'node:crypto';
import { ListShardsCommand, PutRecordCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import {
  createDeliveryPolicy, createError, dispatcherOf, ErrorCodes, readDeliveryAttributes,
  type DeadLetter, type DeliveryPolicy, type Event, type EventCallback, type EventSubmitter, type Logger,
  type Trigger, type TriggerCreateOptions, type TriggerInfo,
} from '@nucleon/core';
import { FileCheckpointStore } from './checkpoint-store.js';
import { readKinesisSettings, type KinesisSettings } from './config.js';
import { encodeKinesisDeadLetter } from './dead-letter.js';
import { createKinesisClient, errorText } from './kinesis-client.js';
import { ShardReader, type ShardReaderHost, type StartPosition } from './shard-reader.js';
import { startPositionOf } from './start-position.js';

const PLUGIN = '@nucleon/trigger-kinesis';

/**
 * The Kinesis trigger: one sequential reader per shard (records of a shard in order, shards
 * in parallel up to `numWorkers`), durable file checkpoints, and resharding followed: a child
 * shard starts only once its parent shards were read to their end, so per partition key the
 * order holds across a split or merge. Every record follows the core delivery contract
 * (docs/delivery.md).
 */
export class KinesisTrigger implements Trigger, ShardReaderHost {
  readonly settings: KinesisSettings;
  readonly policy: DeliveryPolicy;
  readonly submitter: EventSubmitter;
  readonly dispatch: (event: Event, done: EventCallback) => void;
  readonly hotPath: boolean;
  readonly logger: Logger;
  readonly info: TriggerInfo;
  readonly idPrefix = `${randomBytes(4).toString('hex')}-`;
  readonly store: FileCheckpointStore;
  private readonly stopController = new AbortController();
  private readonly deliveryController = new AbortController();
  private readonly readers = new Map<string, ShardReader>();
  /** Shards read to their end (or skipped) in this run or an earlier one. */
  private readonly finished = new Set<string>();
  /** Shards read in this run, with their descendants (the `shards` filter follows children). */
  private readonly selected: Set<string> | undefined;
  private kinesis: KinesisClient | undefined;
  private eventId = 0;
  private firstSync = true;
  private syncing: Promise<void> = Promise.resolve();
  private syncTimer: NodeJS.Timeout | undefined;
  private checkpointTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: TriggerCreateOptions) {
    this.settings = readKinesisSettings(options.name, options.config, options.function.metadata.name);
    const delivery = readDeliveryAttributes(`spec.triggers.${options.name}`, options.config.attributes, options.config.explicitAckMode);
    this.policy = createDeliveryPolicy({ ...delivery, logger: options.logger });
    this.submitter = options.submitter;
    this.dispatch = dispatcherOf(options.submitter);
    this.hotPath = delivery.explicitAckMode === 'disable';
    this.logger = options.logger;
    this.info = Object.freeze({ kind: options.config.kind, name: options.name });
    this.store = new FileCheckpointStore(this.settings.checkpointDir, this.settings.streamName);
    if (this.settings.shards) this.selected = new Set(this.settings.shards);
  }

  get client(): KinesisClient {
    if (!this.kinesis) throw new Error('the Kinesis trigger is not started');
    return this.kinesis;
  }
  get streamName(): string { return this.settings.streamName; }
  get batchSize(): number { return this.settings.batchSize; }
  get pollingPeriodMs(): number { return this.settings.pollingPeriodMs; }
  get stopSignal(): AbortSignal { return this.stopController.signal; }
  get deliverySignal(): AbortSignal { return this.deliveryController.signal; }
  nextEventId(): number { return (this.eventId += 1); }

  async start(): Promise<void> {
    const s = this.settings;
    const at = (attr: string): string => `spec.triggers.${this.options.name}.attributes.${attr}`;
    try {
      await this.store.open();
    } catch (err) {
      throw createError(ErrorCodes.PLUGIN_FAILED,
        `trigger ${this.options.name}: ${at('checkpointDir')}: cannot write checkpoints in ${this.store.directory}: ${(err as Error).message}`,
        { cause: err, details: { plugin: PLUGIN, hook: 'start' } });
    }
    this.kinesis = createKinesisClient(s);
    const where = s.endpoint ?? `the AWS endpoint of ${s.region ?? '(no region)'}`;
    let shards: Shard[];
    try {
      shards = await this.listShards(AbortSignal.timeout(20_000));
    } catch (err) {
      this.client.destroy();
      const name = (err as Error).name;
      const attr = name === 'ResourceNotFoundException' ? 'streamName'
        : name === 'CredentialsProviderError' ? 'accessKeyID (or AWS credentials in the environment)'
          : s.endpoint ? 'endpoint' : 'regionName';
      throw createError(ErrorCodes.PLUGIN_FAILED,
        `trigger ${this.options.name}: cannot list the shards of stream ${s.streamName} at ${where} (${at(attr)}): ${errorText(err)}`,
        { cause: err, details: { plugin: PLUGIN, hook: 'start' } });
    }
    if (s.shards) {
      const ids = new Set(shards.map((shard) => shard.ShardId));
      const missing = s.shards.filter((id) => !ids.has(id));
      if (missing.length > 0) {
        this.client.destroy();
        throw createError(ErrorCodes.PLUGIN_FAILED,
          `trigger ${this.options.name}: ${at('shards')}: stream ${s.streamName} has no shard ${missing.join(', ')} ` +
          `(it has ${[...ids].join(', ')})`, { details: { plugin: PLUGIN, hook: 'start' } });
      }
    }
    await this.sync(shards);
    // Ready means positioned: with LATEST, a record put after start() resolves is read.
    const positioned = Promise.all([...this.readers.values()].map((reader) => reader.positioned));
    const limit = new Promise<'late'>((resolve) => setTimeout(resolve, 20_000, 'late').unref());
    if ((await Promise.race([positioned, limit])) === 'late') {
      this.logger.warnWith('some shards have no iterator yet after 20 s; they keep trying', { stream: s.streamName });
    }
    this.syncTimer = setInterval(() => this.syncNow(), s.shardSyncIntervalMs);
    this.checkpointTimer = setInterval(() => void this.flushCheckpoints(), s.checkpointIntervalMs);
    this.syncTimer.unref();
    this.checkpointTimer.unref();
    this.logger.infoWith('Kinesis trigger reading', {
      stream: s.streamName, endpoint: where, shards: [...this.readers.keys()], checkpoints: this.store.directory,
    });
  }

  async stop(deadlineMs: number): Promise<void> {
    clearInterval(this.syncTimer);
    clearInterval(this.checkpointTimer);
    this.stopController.abort();
    // Past the deadline, a record waiting for its next attempt is given back, not retried.
    const timer = setTimeout(() => this.deliveryController.abort(), deadlineMs);
    try {
      await Promise.race([
        Promise.all([...this.readers.values()].map((reader) => reader.done)),
        new Promise((resolve) => setTimeout(resolve, deadlineMs + 1_000).unref()),
      ]);
      await this.syncing;
      await this.flushCheckpoints();
    } finally {
      clearTimeout(timer);
      this.deliveryController.abort();
      this.kinesis?.destroy();
    }
  }

  /** Called by a reader at its shard's end: its children may start now. */
  onShardEnd(shardId: string): void {
    this.readers.delete(shardId);
    this.finished.add(shardId);
    this.syncNow();
  }

  /** Publishes to the dead-letter stream; resolves once Kinesis has stored it. */
  async publishDeadLetter(letter: DeadLetter): Promise<void> {
    const { data, partitionKey } = encodeKinesisDeadLetter(letter);
    await this.client.send(new PutRecordCommand({ StreamName: letter.target, PartitionKey: partitionKey, Data: data }));
  }

  /** Lists the shards again and starts what may start; syncs never overlap. */
  private syncNow(): void {
    if (this.stopSignal.aborted) return;
    this.syncing = this.syncing.then(async () => {
      if (this.stopSignal.aborted) return;
      try {
        await this.sync(await this.listShards(this.stopSignal));
      } catch (err) {
        if (!this.stopSignal.aborted) this.logger.warnWith('cannot list Kinesis shards; trying again later', { error: errorText(err) });
      }
    });
  }

  /**
   * Starts a reader for every shard that may be read now: selected, not finished, not
   * running, and whose parent shards (when still listed) were read to their end. Repeats
   * while a pass finished a shard (a closed shard skipped under LATEST lets its children go).
   */
  private async sync(shards: Shard[]): Promise<void> {
    const listed = new Map(shards.map((shard) => [shard.ShardId!, shard]));
    const ordered = [...shards].sort((a, b) => a.ShardId!.localeCompare(b.ShardId!));
    const first = this.firstSync;
    this.firstSync = false;
    for (let changed = true, passes = 0; changed && passes <= shards.length; passes += 1) {
      changed = false;
      for (const shard of ordered) {
        const id = shard.ShardId!;
        if (this.readers.has(id) || this.finished.has(id)) continue;
        const parents = [shard.ParentShardId, shard.AdjacentParentShardId].filter((p): p is string => !!p && listed.has(p));
        if (this.selected && !this.selected.has(id)) {
          if (!parents.some((p) => this.selected!.has(p))) continue;
          this.selected.add(id);
        }
        const checkpoint = await this.store.load(id);
        if (checkpoint.ended) {
          this.finished.add(id);
          changed = true;
          continue;
        }
        for (const p of parents) await this.store.load(p);
        if (parents.some((p) => !this.store.isEnded(p))) continue; // a parent is still being read
        const read = parents.map((p) => this.store.peek(p) ?? {});
        const position = startPositionOf(read, checkpoint.sequenceNumber, first, this.settings.iteratorType);
        if (position === undefined) {
          // Closed before we first saw it, and LATEST asks for new records only.
          if (shard.SequenceNumberRange?.EndingSequenceNumber !== undefined) {
            await this.store.ended(id, true);
            this.finished.add(id);
            changed = true;
            continue;
          }
          this.startReader(id, { type: 'LATEST' });
          continue;
        }
        this.startReader(id, position);
      }
    }
  }

  private startReader(id: string, position: StartPosition): void {
    this.logger.infoWith('Kinesis shard reader starting', { shard: id, from: position });
    this.readers.set(id, new ShardReader(this, id, position));
  }

  private async listShards(signal: AbortSignal): Promise<Shard[]> {
    const client = this.client;
    const shards: Shard[] = [];
    let token: string | undefined;
    for (let page = 0; page < 1_000; page += 1) {
      const out = await client.send(new ListShardsCommand(token ? { NextToken: token } : { StreamName: this.settings.streamName }),
        { abortSignal: signal });
      shards.push(...(out.Shards ?? []));
      token = out.NextToken;
      if (!token) break;
    }
    return shards;
  }

  private async flushCheckpoints(): Promise<void> {
    try {
      await this.store.flush();
    } catch (err) {
      this.logger.warnWith('cannot write Kinesis checkpoints; trying again', { directory: this.store.directory, error: errorText(err) });
    }
  }
}

export function createKinesisTrigger(options: TriggerCreateOptions): KinesisTrigger {
  return new KinesisTrigger(options);
}
