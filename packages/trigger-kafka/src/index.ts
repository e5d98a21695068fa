import { defineTrigger } from '@nucleon/core';
import { kafkaAttributes } from './attributes.js';
import { kafkaBacklog } from './backlog.js';
import { createKafkaTrigger } from './kafka-trigger.js';

export { KafkaTrigger, createKafkaTrigger } from './kafka-trigger.js';
export { kafkaAttributes } from './attributes.js';
export { readKafkaSettings } from './config.js';
export type { KafkaSettings } from './config.js';
export { kafkaBacklog, partitionLag } from './backlog.js';
export type { PartitionPositions } from './backlog.js';
export { CommitTracker } from './commit-tracker.js';
export { KafkaEvent, toEventHeaders } from './records.js';

/** The Kafka trigger plugin (Nuclio kinds `kafka-cluster` and `kafka`). */
export default defineTrigger({
  name: '@nucleon/trigger-kafka',
  coreRange: '^0.1.0',
  attributes: kafkaAttributes,
  defaultWorkers: 1,
  create: createKafkaTrigger,
  backlog: kafkaBacklog,
});
