import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  createError, deliveryAttributeProblems, ErrorCodes, formatProblems, parseDuration, type ConfigProblem, type TriggerConfig,
} from '@nucleon/core';

/** Where a shard with no checkpoint starts. */
export type IteratorType = 'LATEST' | 'TRIM_HORIZON';

/** The resolved, checked settings of one Kinesis trigger. */
export interface KinesisSettings {
  streamName: string;
  region: string | undefined;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Shard ids to read (with their descendants); undefined = all. */
  shards?: string[];
  iteratorType: IteratorType;
  pollingPeriodMs: number;
  endpoint?: string;
  batchSize: number;
  checkpointDir: string;
  checkpointIntervalMs: number;
  shardSyncIntervalMs: number;
}

/** Reads and cross-checks the attributes; throws INVALID_CONFIG naming the trigger and every bad attribute. */
export function readKinesisSettings(name: string, config: TriggerConfig, functionName: string,
  env: NodeJS.ProcessEnv = process.env): KinesisSettings {
  const attrs = config.attributes;
  const at = (key: string): string => `spec.triggers.${name}.attributes.${key}`;
  const problems: ConfigProblem[] = [];
  const text = (key: string): string | undefined =>
    (typeof attrs[key] === 'string' && attrs[key] !== '' ? attrs[key] as string : undefined);

  const streamName = text('streamName');
  if (!streamName) problems.push({ path: at('streamName'), message: 'is required: the name of the Kinesis stream to read' });
  else if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(streamName)) {
    problems.push({ path: at('streamName'), message: `must be 1-128 characters of a-z, A-Z, 0-9, _ . -, got ${JSON.stringify(streamName)}` });
  }
  const iteratorType = attrs.iteratorType ?? 'LATEST';
  if (iteratorType !== 'LATEST' && iteratorType !== 'TRIM_HORIZON') {
    problems.push({ path: at('iteratorType'), message: `must be LATEST or TRIM_HORIZON, got ${JSON.stringify(iteratorType)}` });
  }
  const duration = (key: string, fallback: string): number => {
    const raw = attrs[key] ?? fallback;
    const ms = parseDuration(String(raw));
    if (ms === undefined || ms <= 0) {
      problems.push({ path: at(key), message: `is not a positive duration (like "500ms" or "1s"): ${JSON.stringify(raw)}` });
      return 0;
    }
    return ms;
  };
  const pollingPeriodMs = duration('pollingPeriod', '500ms');
  const checkpointIntervalMs = duration('checkpointInterval', '1s');
  const shardSyncIntervalMs = duration('shardSyncInterval', '10s');

  const endpoint = text('endpoint');
  if (endpoint !== undefined) {
    let ok = false;
    try {
      const url = new URL(endpoint);
      ok = url.protocol === 'http:' || url.protocol === 'https:';
    } catch { /* reported below */ }
    if (!ok) problems.push({ path: at('endpoint'), message: `must be an http:// or https:// URL, got ${JSON.stringify(endpoint)}` });
  }
  const region = text('regionName') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? (endpoint ? 'us-east-1' : undefined);
  if (!region) problems.push({ path: at('regionName'), message: 'is required (or AWS_REGION in the environment) when no endpoint is set' });

  const accessKeyId = text('accessKeyID');
  const secretAccessKey = text('secretAccessKey');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    const missing = accessKeyId === undefined ? 'accessKeyID' : 'secretAccessKey';
    problems.push({ path: at(missing), message: 'is required when the other of accessKeyID / secretAccessKey is set' });
  }

  let shards: string[] | undefined;
  if (attrs.shards !== undefined) {
    const list = attrs.shards as unknown[];
    if (!Array.isArray(list) || list.length === 0 || list.some((s) => (typeof s !== 'string' && typeof s !== 'number') || s === '')) {
      problems.push({ path: at('shards'), message: 'must be a non-empty list of shard ids (shardId-000000000000, or 0)' });
    } else {
      shards = list.map(shardIdOf);
    }
  }
  const batchSize = (attrs.batchSize as number | undefined) ?? 1000;
  if (batchSize > 10_000) problems.push({ path: at('batchSize'), message: `must be <= 10000 (the GetRecords limit), got ${batchSize}` });

  problems.push(...deliveryAttributeProblems(`spec.triggers.${name}`, attrs));
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid configuration for trigger ${name}:\n${formatProblems(problems)}`,
      { details: { problems } });
  }
  return {
    streamName: streamName as string,
    region,
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    ...(shards ? { shards } : {}),
    iteratorType: iteratorType as IteratorType,
    pollingPeriodMs,
    ...(endpoint ? { endpoint } : {}),
    batchSize,
    checkpointDir: text('checkpointDir') ?? defaultCheckpointDir(functionName, name, env),
    checkpointIntervalMs,
    shardSyncIntervalMs,
  };
}

/** `$NUCLEON_HOME/kinesis-checkpoints/<function>/<trigger>`, else under XDG_STATE_HOME (~/.local/state). */
export function defaultCheckpointDir(functionName: string, triggerName: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.NUCLEON_HOME
    ? env.NUCLEON_HOME
    : join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'nucleon');
  return join(base, 'kinesis-checkpoints', safeName(functionName), safeName(triggerName));
}

/** `3` and `"3"` name shardId-000000000003, as Nuclio's examples write short ids. */
export function shardIdOf(value: unknown): string {
  const text = String(value);
  return /^\d+$/.test(text) ? `shardId-${text.padStart(12, '0')}` : text;
}

/** A name safe as one path segment. */
export function safeName(name: string): string {
  return name.replace(/[^a-zA-Z0-9_.-]/g, '_');
}
