import { defineTrigger } from '@nucleon/core';
import { kinesisAttributes } from './attributes.js';
import { kinesisBacklog } from './backlog.js';
import { createKinesisTrigger } from './kinesis-trigger.js';

export { KinesisTrigger, createKinesisTrigger } from './kinesis-trigger.js';
export { kinesisBacklog, PROBE_RECORD_LIMIT } from './backlog.js';
export { startPositionOf } from './start-position.js';
export { kinesisAttributes } from './attributes.js';
export { readKinesisSettings, defaultCheckpointDir, shardIdOf } from './config.js';
export type { KinesisSettings, IteratorType } from './config.js';
export { FileCheckpointStore } from './checkpoint-store.js';
export type { ShardCheckpoint } from './checkpoint-store.js';
export { encodeKinesisDeadLetter, decodeKinesisDeadLetter } from './dead-letter.js';
export type { KinesisDeadLetterEnvelope } from './dead-letter.js';
export { KinesisEvent } from './records.js';
export { createKinesisClient } from './kinesis-client.js';

/** The Kinesis trigger plugin (Nuclio kind `kinesis`). */
export default defineTrigger({
  name: '@nucleon/trigger-kinesis',
  coreRange: '^0.1.0',
  attributes: kinesisAttributes,
  defaultWorkers: 1,
  create: createKinesisTrigger,
  backlog: kinesisBacklog,
});
