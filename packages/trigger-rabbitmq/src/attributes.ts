import { deliveryAttributes, type AttributeSchema } from '@nucleon/core';

/**
 * The RabbitMQ trigger's attributes: Nuclio's names, plus the delivery attributes every
 * stream trigger shares (docs/delivery.md). `url` may also be given at the trigger level
 * (`spec.triggers.<name>.url`), as Nuclio does; the attribute wins when both are set.
 */
export const rabbitmqAttributes: AttributeSchema = {
  ...deliveryAttributes,
  url: { type: 'string', description: 'broker URL, amqp://user:pass@host:port/vhost (or the trigger-level url)' },
  exchangeName: { type: 'string', description: 'exchange the queue is bound to; declared when given (needed with topics)' },
  exchangeType: {
    type: 'string', enum: ['topic', 'direct', 'fanout', 'headers'], default: 'topic',
    description: 'type used when declaring exchangeName (Nucleon extension; Nuclio declares topic exchanges)',
  },
  queueName: { type: 'string', description: 'queue to consume; declared if missing, bound to exchangeName with topics when given' },
  topics: {
    type: 'array',
    description: 'routing keys to bind; without queueName a server-named exclusive queue is created and bound (Nuclio semantics)',
  },
  prefetchCount: { type: 'integer', minimum: 0, description: 'unacknowledged messages per consumer; default numWorkers, 0 = unlimited' },
  durableExchange: { type: 'boolean', default: true, description: 'declare exchangeName durable (Nuclio default false)' },
  durableQueue: { type: 'boolean', default: true, description: 'declare queueName durable (Nuclio default false)' },
  reconnectInterval: {
    type: 'string', default: '15s',
    description: 'upper bound of the delay between reconnection attempts (Nuclio duration); attempts back off from 200ms up to it',
  },
  reconnectDuration: {
    type: 'string', unsupported: true,
    description: 'Nuclio gives up reconnecting after it; Nucleon keeps retrying so no message is stranded',
  },
};
