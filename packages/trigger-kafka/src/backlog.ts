import { createError, ErrorCodes, isNucleonError, type Backlog, type BacklogProbeOptions } from '@nucleon/core';
import type { Admin } from 'kafkajs';
import { readKafkaSettings, type KafkaSettings } from './config.js';
import { createKafkaClient } from './kafka-client.js';

/** One partition's positions as the admin API reports them (offsets are decimal strings in kafkajs). */
export interface PartitionPositions {
  partition: number;
  /** The offset the next produced record gets. */
  high: string;
  /** The oldest offset still kept (retention moves it). */
  low: string;
  /** The group's committed offset, `-1` when it committed nothing. */
  committed: string;
}

/**
 * Records waiting for the group on one partition. A group that committed nothing starts at
 * the oldest kept record when it reads from the earliest offset, else at the end (nothing
 * waits); a committed offset below `low` (records deleted by retention) counts from `low`.
 */
export function partitionLag(p: PartitionPositions, fromBeginning: boolean): number {
  const high = Number(p.high);
  const low = Number(p.low);
  const committed = Number(p.committed);
  const start = committed < 0 ? (fromBeginning ? low : high) : Math.max(committed, low);
  return Math.max(0, high - start);
}

/**
 * Stream wake: the consumer group's lag over the trigger's topics, read with the admin API
 * (topic offsets and the group's committed offsets). Joins no group, commits nothing.
 */
export async function kafkaBacklog(options: BacklogProbeOptions): Promise<Backlog> {
  const settings = readKafkaSettings(options.name, options.config, options.function.metadata.name);
  const admin = createKafkaClient(settings, options.logger).admin({ retry: { retries: 1 } });
  try {
    options.signal?.throwIfAborted();
    await admin.connect();
    return await groupLag(admin, settings, options.signal);
  } catch (err) {
    if (isNucleonError(err)) throw err;
    throw createError(ErrorCodes.PLUGIN_FAILED,
      `kafka trigger ${options.name}: cannot read the lag of group ${settings.consumerGroup} from ${settings.brokers.join(',')}: ${(err as Error).message}`,
      { cause: err, details: { trigger: options.name } });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function groupLag(admin: Admin, settings: KafkaSettings, signal: AbortSignal | undefined): Promise<Backlog> {
  // A topic that does not exist holds nothing yet; asking for its offsets would only retry and fail.
  const existing = new Set(await admin.listTopics());
  const topics = settings.topics.filter((t) => existing.has(t));
  const missing = settings.topics.filter((t) => !existing.has(t));
  signal?.throwIfAborted();
  const committed = topics.length > 0 ? await admin.fetchOffsets({ groupId: settings.consumerGroup, topics }) : [];
  let pending = 0;
  const parts: string[] = [];
  for (const topic of topics) {
    signal?.throwIfAborted();
    const offsets = await admin.fetchTopicOffsets(topic);
    const group = committed.find((c) => c.topic === topic)?.partitions ?? [];
    let lag = 0;
    for (const o of offsets) {
      const c = group.find((g) => g.partition === o.partition)?.offset ?? '-1';
      lag += partitionLag({ partition: o.partition, high: o.high, low: o.low, committed: c }, settings.fromBeginning);
    }
    pending += lag;
    parts.push(`${topic}:${lag}`);
  }
  if (missing.length > 0) parts.push(`missing topics ${missing.join(',')}`);
  return { pending, detail: `lag ${pending} of group ${settings.consumerGroup} (${parts.join(', ')})` };
}
