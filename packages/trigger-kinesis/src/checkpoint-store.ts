import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { safeName } from './config.js';

/** What is durably known about one shard. */
export interface ShardCheckpoint {
  /** The last sequence number handled (or dead-lettered); reading resumes after it. */
  sequenceNumber?: string;
  /** The shard is closed and every record of it was handled: its children may start. */
  ended?: boolean;
  /** Ended without reading: closed when first seen with iteratorType LATEST. */
  skipped?: boolean;
}

/**
 * Durable checkpoints, one JSON file per stream and shard under `dir` (which already names
 * the function and trigger, the "consumer"): `<dir>/<stream>/<shardId>.json`. Sequence numbers
 * are noted in memory per record and written at most every `checkpointInterval` (and on
 * stop), so a crash replays at most that much; a shard's end is written at once, since its
 * children wait for it. Each write goes to a temporary file that is then renamed over the
 * old one, so a crash mid-write leaves the previous checkpoint, never a torn one.
 */
export class FileCheckpointStore {
  private readonly known = new Map<string, ShardCheckpoint>();
  private readonly dirty = new Set<string>();
  private readonly folder: string;
  private writing: Promise<void> = Promise.resolve();

  constructor(dir: string, stream: string) {
    this.folder = join(dir, safeName(stream));
  }

  get directory(): string {
    return this.folder;
  }

  /** Creates the folder; fails early (at start) when it cannot be written. */
  async open(): Promise<void> {
    await mkdir(this.folder, { recursive: true });
    const probe = join(this.folder, `.probe-${process.pid}`);
    await writeFile(probe, '');
    await rename(probe, join(this.folder, '.writable'));
  }

  /** The checkpoint of a shard, read from its file the first time. */
  async load(shardId: string): Promise<ShardCheckpoint> {
    const cached = this.known.get(shardId);
    if (cached) return cached;
    let checkpoint: ShardCheckpoint = {};
    try {
      const parsed = JSON.parse(await readFile(this.fileOf(shardId), 'utf8')) as ShardCheckpoint;
      checkpoint = {
        ...(typeof parsed.sequenceNumber === 'string' ? { sequenceNumber: parsed.sequenceNumber } : {}),
        ...(parsed.ended === true ? { ended: true } : {}),
        ...(parsed.skipped === true ? { skipped: true } : {}),
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    this.known.set(shardId, checkpoint);
    return checkpoint;
  }

  /** Whether a shard was read to its end (false until loaded). */
  isEnded(shardId: string): boolean {
    return this.known.get(shardId)?.ended === true;
  }

  /** The checkpoint already loaded, if any. */
  peek(shardId: string): ShardCheckpoint | undefined {
    return this.known.get(shardId);
  }

  /** Notes a handled record; written by the next {@link flush}. */
  handled(shardId: string, sequenceNumber: string): void {
    const checkpoint = this.known.get(shardId);
    if (checkpoint) checkpoint.sequenceNumber = sequenceNumber;
    else this.known.set(shardId, { sequenceNumber });
    this.dirty.add(shardId);
  }

  /** Marks a shard read to its end and writes that at once. */
  async ended(shardId: string, skipped = false): Promise<void> {
    const checkpoint = this.known.get(shardId) ?? {};
    checkpoint.ended = true;
    if (skipped) checkpoint.skipped = true;
    this.known.set(shardId, checkpoint);
    this.dirty.add(shardId);
    await this.flush();
  }

  /** Writes every changed checkpoint; concurrent calls are serialized. */
  flush(): Promise<void> {
    const next = this.writing.then(() => this.writeDirty());
    this.writing = next.catch(() => undefined);
    return next;
  }

  private async writeDirty(): Promise<void> {
    if (this.dirty.size === 0) return;
    const shards = [...this.dirty];
    this.dirty.clear();
    try {
      await Promise.all(shards.map(async (shardId) => {
        const file = this.fileOf(shardId);
        const temporary = `${file}.${process.pid}.tmp`;
        const checkpoint = this.known.get(shardId) ?? {};
        await writeFile(temporary, `${JSON.stringify({ shardId, ...checkpoint, updatedAt: new Date().toISOString() })}\n`);
        await rename(temporary, file);
      }));
    } catch (err) {
      // Write them again next time; the caller logs.
      for (const shardId of shards) this.dirty.add(shardId);
      throw err;
    }
  }

  private fileOf(shardId: string): string {
    return join(this.folder, `${safeName(shardId)}.json`);
  }
}
