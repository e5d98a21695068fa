import { defineTrigger } from '@nucleon/core';
import { rabbitmqAttributes } from './attributes.js';
import { rabbitmqBacklog } from './backlog.js';
import { createRabbitMqTrigger } from './rabbitmq-trigger.js';

export { RabbitMqTrigger, createRabbitMqTrigger, toEventHeaders } from './rabbitmq-trigger.js';
export { rabbitmqBacklog } from './backlog.js';
export { rabbitmqAttributes } from './attributes.js';
export { readRabbitSettings, redactUrl } from './config.js';
export type { RabbitSettings } from './config.js';

/** The `rabbit-mq` trigger plugin (Nuclio kind `rabbit-mq`). */
export default defineTrigger({
  name: '@nucleon/trigger-rabbitmq',
  coreRange: '^0.1.0',
  attributes: rabbitmqAttributes,
  defaultWorkers: 1,
  create: createRabbitMqTrigger,
  backlog: rabbitmqBacklog,
});
