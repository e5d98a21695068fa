import { describe, expect, it } from 'vitest';
import { ErrorCodes, isNucleonError, validateAttributes } from '@nucleon/core';
import { kafkaAttributes } from './attributes.js';
import { readKafkaSettings } from './config.js';

const read = (attributes: Record<string, unknown>, extra: { url?: string; numWorkers?: number } = {}) => {
  const validated = validateAttributes('spec.triggers.orders', '@nucleon/trigger-kafka', kafkaAttributes, attributes);
  return readKafkaSettings('orders', { kind: 'kafka-cluster', workerAvailabilityTimeoutMilliseconds: 1000, attributes: validated.attributes, ...extra }, 'fn');
};

/** The attribute paths an INVALID_CONFIG error names. */
function problemPaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(isNucleonError(err, ErrorCodes.INVALID_CONFIG)).toBe(true);
    expect((err as Error).message).toMatch(/trigger orders/);
    return (err as { details: { problems: Array<{ path: string }> } }).details.problems.map((p) => p.path.replace('spec.triggers.orders.attributes.', ''));
  }
  throw new Error('expected INVALID_CONFIG');
}

const minimal = { brokers: ['127.0.0.1:9092'], topics: ['orders'], consumerGroup: 'g' };

describe('readKafkaSettings', () => {
  it("applies Nuclio's defaults, numWorkers partitions at once", () => {
    expect(read(minimal, { numWorkers: 4 })).toMatchObject({
      brokers: ['127.0.0.1:9092'], topics: ['orders'], consumerGroup: 'g', clientId: 'nucleon-fn-orders', fromBeginning: true,
      sessionTimeoutMs: 10_000, heartbeatIntervalMs: 3_000, rebalanceTimeoutMs: 60_000, maxWaitTimeMs: 250,
      fetchMin: 1, fetchDefault: 1_048_576, concurrency: 4, workerAllocationMode: 'pool',
    });
  });

  it('takes brokers from the trigger-level url, comma-separated, as Nuclio does', () => {
    expect(read({ topics: ['t'], consumerGroup: 'g' }, { url: 'kafka://a:9092, b:9093' }).brokers).toEqual(['a:9092', 'b:9093']);
  });

  it('reads latest, durations, sasl and tls', () => {
    const s = read({ ...minimal, initialOffset: 'latest', sessionTimeout: '30s', heartbeatInterval: '500ms',
      sasl: { enable: true, user: 'u', password: 'p', mechanism: 'SCRAM-SHA-512' }, tls: { enable: true, insecureSkipVerify: true }, caCert: 'PEM' });
    expect(s).toMatchObject({ fromBeginning: false, sessionTimeoutMs: 30_000, heartbeatIntervalMs: 500,
      sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' }, tls: { rejectUnauthorized: false, ca: 'PEM' } });
  });

  it('refuses no brokers, bad brokers, bad durations and incomplete sasl, all at once', () => {
    expect(problemPaths(() => read({ topics: ['t'], consumerGroup: 'g' }))).toEqual(['brokers']);
    expect(problemPaths(() => read({ ...minimal, brokers: ['127.0.0.1'], sessionTimeout: 'soon', sasl: { enable: true } })))
      .toEqual(['brokers', 'sessionTimeout', 'sasl.user', 'sasl.password']);
    expect(problemPaths(() => read({ ...minimal, heartbeatInterval: '20s' }))).toEqual(['heartbeatInterval']);
    expect(problemPaths(() => read({ topics: ['t'], consumerGroup: 'g', onExhausted: 'dead-letter' }))).toEqual(['brokers', 'onExhausted']);
  });

  it('refuses an unknown attribute and a bad initialOffset at validation, naming them', () => {
    expect(() => read({ ...minimal, consumerGoup: 'x' })).toThrow(/consumerGoup/);
    expect(() => read({ ...minimal, initialOffset: 'oldest' })).toThrow(/initialOffset/);
    expect(() => read({ brokers: ['127.0.0.1:9092'] })).toThrow(/topics[\s\S]*consumerGroup|consumerGroup[\s\S]*topics/);
  });
});
