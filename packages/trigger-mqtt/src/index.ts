import { defineTrigger } from '@nucleon/core';
import { mqttAttributes } from './attributes.js';
import { createMqttTrigger } from './mqtt-trigger.js';

export { MqttTrigger, createMqttTrigger } from './mqtt-trigger.js';
export { MqttEvent, toEventHeaders } from './events.js';
export { mqttAttributes } from './attributes.js';
export { readMqttSettings, redactUrl, topicFilterProblem, SESSION_NEVER_EXPIRES } from './config.js';
export type { MqttSettings, MqttSubscription } from './config.js';
export { deadLetterEnvelope } from './dead-letter.js';
export type { DeadLetterEnvelope } from './dead-letter.js';

/** The `mqtt` trigger plugin (Nuclio kind `mqtt`). */
export default defineTrigger({
  name: '@nucleon/trigger-mqtt',
  coreRange: '^0.1.0',
  attributes: mqttAttributes,
  defaultWorkers: 1,
  create: createMqttTrigger,
});
