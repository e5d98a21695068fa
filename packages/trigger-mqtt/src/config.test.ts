import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError, validateAttributes } from '@nucleon/core';
import { mqttAttributes } from './attributes.js';
import { readMqttSettings, redactUrl, SESSION_NEVER_EXPIRES, topicFilterProblem } from './config.js';
import { deadLetterEnvelope } from './dead-letter.js';

const read = (attributes: Record<string, unknown>, extra: { url?: string; numWorkers?: number } = {}) => {
  const validated = validateAttributes('spec.triggers.sensors', '@nucleon/trigger-mqtt', mqttAttributes, attributes);
  return readMqttSettings('sensors', { kind: 'mqtt', workerAvailabilityTimeoutMilliseconds: 1000, attributes: validated.attributes, ...extra }, 'fn');
};

const problemPaths = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    expect(isNucleonError(err, ErrorCodes.INVALID_CONFIG)).toBe(true);
    expect((err as Error).message).toContain('trigger sensors');
    return (err as { details: { problems: Array<{ path: string }> } }).details.problems.map((p) => p.path);
  }
  throw new Error('expected an error');
};

describe('readMqttSettings', () => {
  it('applies the defaults: persistent session, MQTT 5, a stable client id, qos 0', () => {
    expect(read({ subscriptions: [{ topic: 'a/+' }] }, { url: 'tcp://127.0.0.1:1883' })).toEqual({
      url: 'tcp://127.0.0.1:1883', safeUrl: 'tcp://127.0.0.1:1883', subscriptions: [{ topic: 'a/+', qos: 0 }],
      clientId: 'nucleon-fn-sensors', cleanSession: false, protocolVersion: 5, sessionExpiryInterval: SESSION_NEVER_EXPIRES, keepAlive: 60,
    });
  });

  it('takes Nuclio\'s bare host:port url, the url attribute over the trigger-level one, and credentials', () => {
    expect(read({ subscriptions: [{ topic: 'a', qos: 1 }] }, { url: '10.0.0.3:1883' }).url).toBe('mqtt://10.0.0.3:1883');
    const s = read({ url: 'mqtt://h:1', subscriptions: [{ topic: 'a', qos: 2 }], username: 'u', password: 'p', clientID: 'me', cleanSession: true },
      { url: 'tcp://other:2' });
    expect(s).toMatchObject({ url: 'mqtt://h:1', username: 'u', password: 'p', clientId: 'me', cleanSession: true });
  });

  it('reports every problem at once, naming the attributes', () => {
    expect(problemPaths(() => read({ subscriptions: [] }))).toEqual(['spec.triggers.sensors.attributes.url', 'spec.triggers.sensors.attributes.subscriptions']);
    expect(problemPaths(() => read({ url: 'http://h', protocolVersion: 6, subscriptions: [{ topic: 'a/#/b', qos: 5, retain: true }, 'x'] }))).toEqual([
      'spec.triggers.sensors.attributes.url',
      'spec.triggers.sensors.attributes.subscriptions[0].retain',
      'spec.triggers.sensors.attributes.subscriptions[0].topic',
      'spec.triggers.sensors.attributes.subscriptions[0].qos',
      'spec.triggers.sensors.attributes.subscriptions[1]',
      'spec.triggers.sensors.attributes.protocolVersion',
    ]);
    expect(problemPaths(() => read({ url: 'mqtt://h', subscriptions: [{ topic: 'a' }], onExhausted: 'dead-letter' })))
      .toEqual(['spec.triggers.sensors.attributes.onExhausted']);
  });
});

describe('helpers', () => {
  it('checks topic filters', () => {
    expect(topicFilterProblem('a/+/b/#')).toBeUndefined();
    expect(topicFilterProblem('#')).toBeUndefined();
    expect(topicFilterProblem('a/b#')).toMatch(/#/);
    expect(topicFilterProblem('a/#/b')).toMatch(/#/);
    expect(topicFilterProblem('a+/b')).toMatch(/\+/);
    expect(topicFilterProblem('')).toMatch(/empty/);
  });

  it('redacts passwords', () => {
    expect(redactUrl('mqtt://u:p@h:1')).toBe('mqtt://u:***@h:1');
    expect(redactUrl('tcp://h:1883')).toBe('tcp://h:1883');
  });

  it('wraps an MQTT 3.1.1 dead letter in a JSON envelope with the body in base64', () => {
    const body = Buffer.from([0, 255, 1]);
    const envelope = JSON.parse(deadLetterEnvelope({ body, headers: { 'x-nucleon-attempts': '3' } }).toString());
    expect(envelope).toEqual({ format: 'nucleon-dead-letter/1', headers: { 'x-nucleon-attempts': '3' }, body: body.toString('base64') });
  });
});
