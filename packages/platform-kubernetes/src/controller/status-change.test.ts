import { describe, expect, it } from 'vitest';
import { keepTransitionTimes, sameStatus } from './status-change.js';

describe('sameStatus', () => {
  it('ignores key order and undefined fields, not values', () => {
    expect(sameStatus({ state: 'ready', httpPort: 1, message: undefined }, { httpPort: 1, state: 'ready' })).toBe(true);
    expect(sameStatus({ state: 'ready' }, { state: 'building' })).toBe(false);
    expect(sameStatus(undefined, { state: 'building' })).toBe(false);
  });
});

describe('keepTransitionTimes', () => {
  it('keeps the time of a condition whose status did not change, takes the new one when it flipped', () => {
    const previous = { state: 'building' as const, conditions: [
      { type: 'Ready', status: 'False' as const, reason: 'r', message: 'm', lastTransitionTime: 't0' },
      { type: 'Available', status: 'False' as const, reason: 'r', message: 'm', lastTransitionTime: 't0' },
    ] };
    const next = keepTransitionTimes(previous, { state: 'building', conditions: [
      { type: 'Ready', status: 'False', reason: 'r', message: 'm', lastTransitionTime: 't1' },
      { type: 'Available', status: 'True', reason: 'r', message: 'm', lastTransitionTime: 't1' },
    ] });
    expect(next.conditions).toEqual([
      { type: 'Ready', status: 'False', reason: 'r', message: 'm', lastTransitionTime: 't0' },
      { type: 'Available', status: 'True', reason: 'r', message: 'm', lastTransitionTime: 't1' },
    ]);
  });
});
