import { deliveryAttributes, type AttributeSchema } from '@nucleon/core';

/**
 * The MQTT trigger's attributes: Nuclio's names (`subscriptions`, `clientID`,
 * `protocolVersion`; `url` usually at the trigger level), plus the delivery attributes every
 * stream trigger shares (docs/delivery.md). Nuclio reads `username` / `password` at the trigger
 * level; Nucleon's core does not pass those through yet, so they are attributes here (or the
 * user:password part of the url).
 */
export const mqttAttributes: AttributeSchema = {
  ...deliveryAttributes,
  url: { type: 'string', description: 'broker URL, tcp://host:port or mqtt://host:port (mqtts://, ws:// too); or the trigger-level url' },
  subscriptions: { type: 'array', description: 'what to subscribe to: a list of {topic, qos}; qos 0, 1 or 2 (default 0, as Nuclio)' },
  clientID: {
    type: 'string',
    description: 'MQTT client id; default nucleon-<function>-<trigger>. Keep it stable: the broker keeps the session (and QoS 1/2 messages) under it',
  },
  username: { type: 'string', description: 'user name for the broker (or in the url)' },
  password: { type: 'string', description: 'password for the broker (or in the url); never logged' },
  cleanSession: {
    type: 'boolean', default: false,
    description: 'start a fresh session on every connect; false (default) makes the broker keep QoS 1/2 messages while the processor is away',
  },
  protocolVersion: {
    type: 'integer', minimum: 4, default: 5,
    description: 'MQTT protocol: 5 (default; dead letters carry x-nucleon-* as user properties) or 4 (3.1.1; dead letters are JSON envelopes)',
  },
  sessionExpiryInterval: {
    type: 'integer', minimum: 0,
    description: 'MQTT 5: seconds the broker keeps the session after a disconnect when cleanSession is false; default 4294967295 (never expires)',
  },
  keepAlive: { type: 'integer', minimum: 0, default: 60, description: 'keep-alive interval in seconds' },
};
