import { describe, expect, it } from 'vitest';
import { backlogProbeOptions } from '@nucleon/core/testing';
import plugin from './index.js';
import { partitionLag } from './backlog.js';

describe('partitionLag', () => {
  it('counts from the committed offset', () => {
    expect(partitionLag({ partition: 0, high: '10', low: '0', committed: '4' }, true)).toBe(6);
    expect(partitionLag({ partition: 0, high: '10', low: '0', committed: '10' }, true)).toBe(0);
  });
  it('counts a group that committed nothing from the oldest kept record when reading from the earliest offset, else not at all', () => {
    expect(partitionLag({ partition: 0, high: '10', low: '3', committed: '-1' }, true)).toBe(7);
    expect(partitionLag({ partition: 0, high: '10', low: '3', committed: '-1' }, false)).toBe(0);
  });
  it('does not count records that retention already deleted', () => {
    expect(partitionLag({ partition: 0, high: '10', low: '8', committed: '2' }, true)).toBe(2);
  });
});

describe('kafka backlog probe', () => {
  it('refuses a bad configuration with the attribute that is wrong, before connecting', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'kafka-cluster', attributes: { brokers: ['no-port'], topics: ['t'], consumerGroup: 'g' } });
    await expect(plugin.backlog?.(options)).rejects.toMatchObject({ code: 'NUCLEON_ERR_INVALID_CONFIG', message: expect.stringContaining('brokers') });
  });
});
