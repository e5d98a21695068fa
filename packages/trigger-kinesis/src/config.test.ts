import { describe, expect, it } from 'vitest';
import { isNucleonError, type TriggerConfig } from '@nucleon/core';
import { defaultCheckpointDir, readKinesisSettings, shardIdOf } from './config.js';

const config = (attributes: Record<string, unknown>): TriggerConfig => ({ kind: 'kinesis', attributes } as TriggerConfig);
const problemsOf = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (err) {
    if (!isNucleonError(err)) throw err;
    return ((err.details as { problems: Array<{ path: string; message: string }> }).problems).map((p) => `${p.path}: ${p.message}`);
  }
  throw new Error('expected an INVALID_CONFIG error');
};

describe('readKinesisSettings', () => {
  it('applies Nuclio defaults (LATEST, 500ms) and takes the region from the environment', () => {
    const s = readKinesisSettings('orders', config({ streamName: 'events' }), 'fn', { AWS_REGION: 'eu-west-1', NUCLEON_HOME: '/n' });
    expect(s).toMatchObject({
      streamName: 'events', region: 'eu-west-1', iteratorType: 'LATEST', pollingPeriodMs: 500, batchSize: 1000,
      checkpointIntervalMs: 1000, checkpointDir: '/n/kinesis-checkpoints/fn/orders',
    });
    expect(s.credentials).toBeUndefined();
  });

  it('reads Nuclio credentials, shard lists (short ids too) and the endpoint', () => {
    const s = readKinesisSettings('orders', config({
      streamName: 'events', accessKeyID: 'AK', secretAccessKey: 'SK', shards: ['shardId-000000000001', 2],
      endpoint: 'http://127.0.0.1:4567', iteratorType: 'TRIM_HORIZON', pollingPeriod: '50ms',
    }), 'fn', {});
    expect(s.credentials).toEqual({ accessKeyId: 'AK', secretAccessKey: 'SK' });
    expect(s.shards).toEqual(['shardId-000000000001', 'shardId-000000000002']);
    expect(s.region).toBe('us-east-1');
    expect(s.pollingPeriodMs).toBe(50);
  });

  it('reports every problem at once, each with its attribute path', () => {
    const problems = problemsOf(() => readKinesisSettings('orders', config({
      iteratorType: 'AT_TIMESTAMP', pollingPeriod: 'soon', accessKeyID: 'AK', endpoint: 'ftp://x', batchSize: 20_000,
      onExhausted: 'dead-letter',
    }), 'fn', {}));
    const paths = problems.map((p) => p.split(':')[0]);
    expect(problemsOf(() => readKinesisSettings('o', config({ streamName: 's' }), 'fn', {}))[0]).toContain('attributes.regionName');
    expect(paths).toEqual(expect.arrayContaining([
      'spec.triggers.orders.attributes.streamName', 'spec.triggers.orders.attributes.iteratorType',
      'spec.triggers.orders.attributes.pollingPeriod', 'spec.triggers.orders.attributes.secretAccessKey',
      'spec.triggers.orders.attributes.endpoint', 'spec.triggers.orders.attributes.batchSize',
      'spec.triggers.orders.attributes.onExhausted',
    ]));
  });

  it('defaults the checkpoint folder to XDG state when NUCLEON_HOME is unset', () => {
    expect(defaultCheckpointDir('my fn', 't', { XDG_STATE_HOME: '/state' })).toBe('/state/nucleon/kinesis-checkpoints/my_fn/t');
    expect(shardIdOf(7)).toBe('shardId-000000000007');
  });
});
