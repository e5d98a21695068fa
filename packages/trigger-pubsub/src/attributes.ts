import { deliveryAttributes, type AttributeSchema } from '@nucleon/core';

/**
 * The Pub/Sub trigger's attributes: Nuclio's names (`projectID`, `subscriptions`,
 * `ackDeadline`, `noCredentials`, `credentials`), the `emulatorHost` extension, and the delivery
 * attributes every stream trigger shares (docs/delivery.md). Each entry of `subscriptions` is
 * checked by `readPubSubSettings` (keys in {@link SUBSCRIPTION_KEYS}).
 */
export const pubsubAttributes: AttributeSchema = {
  ...deliveryAttributes,
  projectID: { type: 'string', description: 'Google Cloud project id the topics and subscriptions live in' },
  subscriptions: {
    type: 'array',
    description: 'what to consume: [{topic, idPrefix, idSuffix, shared, maxNumWorkers, ackDeadline, skipCreate}]',
  },
  ackDeadline: {
    type: 'string',
    description: 'default ack deadline of the subscriptions (Nuclio duration, 1s to 600s; default 10s); the lease is extended while a handler runs',
  },
  noCredentials: { type: 'boolean', default: false, description: 'connect without Google credentials (emulators)' },
  credentials: {
    type: 'object',
    description: 'service account key: {contents: "<the JSON key>"} (Nuclio); otherwise GOOGLE_APPLICATION_CREDENTIALS',
  },
  emulatorHost: {
    type: 'string',
    description: 'host:port of a Pub/Sub emulator (Nucleon extension; default the PUBSUB_EMULATOR_HOST environment variable)',
  },
};

/** The keys an entry of `subscriptions` may have. */
export const SUBSCRIPTION_KEYS = [
  'topic', 'idPrefix', 'idSuffix', 'shared', 'maxNumWorkers', 'ackDeadline', 'skipCreate', 'synchronous',
] as const;
