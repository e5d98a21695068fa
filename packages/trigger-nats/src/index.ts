import { defineTrigger } from '@nucleon/core';
import { natsAttributes } from './attributes.js';
import { natsBacklog } from './backlog.js';
import { createNatsTrigger } from './nats-trigger.js';

export { NatsTrigger, createNatsTrigger } from './nats-trigger.js';
export { natsBacklog, firstDelivery, CORE_NATS_BACKLOG } from './backlog.js';
export { NatsEvent } from './nats-event.js';
export { natsAttributes } from './attributes.js';
export { readNatsSettings, redactUrl, resolveQueueName, DEFAULT_ACK_WAIT_MS, DEFAULT_MAX_ACK_PENDING } from './config.js';
export type { JetStreamDeliverPolicy, JetStreamSettings, NatsSettings } from './config.js';
export { toEventHeaders, toNatsHeaders } from './headers.js';
export { subjectCovers, isValidSubject } from './subjects.js';

/** The `nats` trigger plugin (Nuclio kind `nats`): core NATS queue groups, or JetStream durable consumers. */
export default defineTrigger({
  name: '@nucleon/trigger-nats',
  coreRange: '^0.1.0',
  attributes: natsAttributes,
  defaultWorkers: 1,
  create: createNatsTrigger,
  backlog: natsBacklog,
});
