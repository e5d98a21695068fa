import { deliveryAttributes, type AttributeSchema } from '@nucleon/core';

/**
 * The NATS trigger's attributes: Nuclio's names (`topic`, `queueName`, `reply`), Nucleon's
 * `jetStream` block for durable consumption, and the delivery attributes every stream trigger
 * shares (docs/delivery.md). `url` may also be given at the trigger level
 * (`spec.triggers.<name>.url`), as Nuclio does; the attribute wins when both are set.
 */
export const natsAttributes: AttributeSchema = {
  ...deliveryAttributes,
  url: { type: 'string', description: 'server URL, nats://[user:pass@]host:port (or the trigger-level url); several comma-separated' },
  topic: { type: 'string', description: 'subject to consume (wildcards * and > allowed)' },
  queueName: {
    type: 'string',
    description: 'queue group to join (replicas split the messages); Nuclio-style templates {{ .Id }}, {{ .Name }}, ' +
      '{{ .Namespace }}, {{ index .Labels "k" }}; default nucleon.<function>.<trigger>',
  },
  reply: { type: 'boolean', default: false, description: 'publish the response body to the message reply subject, when it has one (core NATS only)' },
  jetStream: {
    type: 'object',
    description: 'consume through a JetStream durable consumer with ack after success: ' +
      '{ stream, durable, ackWait, deliverPolicy, maxAckPending } (docs/trigger-nats.md)',
  },
};
