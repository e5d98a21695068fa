import { defineTrigger } from '@nucleon/core';
import { pubsubAttributes } from './attributes.js';
import { pubsubBacklog } from './backlog.js';
import { createPubSubTrigger } from './pubsub-trigger.js';

export { PubSubTrigger, createPubSubTrigger, START_TIMEOUT_MS } from './pubsub-trigger.js';
export { pubsubBacklog } from './backlog.js';
export { createPubSubClient } from './pubsub-client.js';
export { pubsubAttributes, SUBSCRIPTION_KEYS } from './attributes.js';
export { readPubSubSettings, subscriptionId } from './config.js';
export type { PubSubSettings, SubscriptionSettings } from './config.js';

/** The Pub/Sub trigger plugin (Nuclio kind `pubsub`). */
export default defineTrigger({
  name: '@nucleon/trigger-pubsub',
  coreRange: '^0.1.0',
  attributes: pubsubAttributes,
  defaultWorkers: 1,
  create: createPubSubTrigger,
  backlog: pubsubBacklog,
});
