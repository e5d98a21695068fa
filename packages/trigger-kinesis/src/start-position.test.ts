import { describe, expect, it } from 'vitest';
import { startPositionOf } from './start-position.js';

describe('startPositionOf', () => {
  it('resumes after the checkpoint whatever the iterator type', () => {
    expect(startPositionOf([], '42', true, 'LATEST')).toEqual({ type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: '42' });
  });
  it('starts a shard without checkpoint at its oldest record under TRIM_HORIZON, as a child of a read shard, or when found later', () => {
    expect(startPositionOf([], undefined, true, 'TRIM_HORIZON')).toEqual({ type: 'TRIM_HORIZON' });
    expect(startPositionOf([{ ended: true }], undefined, true, 'LATEST')).toEqual({ type: 'TRIM_HORIZON' });
    expect(startPositionOf([], undefined, false, 'LATEST')).toEqual({ type: 'TRIM_HORIZON' });
  });
  it('reads only new records of a first-seen shard under LATEST, also when its parent was skipped', () => {
    expect(startPositionOf([], undefined, true, 'LATEST')).toBeUndefined();
    expect(startPositionOf([{ ended: true, skipped: true }], undefined, true, 'LATEST')).toBeUndefined();
  });
});
