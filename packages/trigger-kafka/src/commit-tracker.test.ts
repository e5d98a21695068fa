import { describe, expect, it } from 'vitest';
import { CommitTracker } from './commit-tracker.js';

describe('CommitTracker', () => {
  it('commits offset + 1 of the highest acked record per partition, once', () => {
    const t = new CommitTracker();
    t.ack('a', 0, '5');
    t.ack('a', 0, '6');
    t.ack('a', 1, '9');
    expect(t.pending()).toEqual([{ topic: 'a', partition: 0, offset: '7' }, { topic: 'a', partition: 1, offset: '10' }]);
    expect(t.pending('a', 1)).toEqual([{ topic: 'a', partition: 1, offset: '10' }]);
    t.committedNow(t.pending());
    expect(t.pending()).toEqual([]);
  });

  it('never rewinds: a late ack of an earlier record commits nothing new', () => {
    const t = new CommitTracker();
    t.ack('a', 0, '10');
    t.committedNow(t.pending());
    t.ack('a', 0, '3');
    expect(t.pending()).toEqual([]);
  });

  it('handles offsets beyond 2^53', () => {
    const t = new CommitTracker();
    t.ack('a', 0, '9007199254740993');
    expect(t.pending()[0]?.offset).toBe('9007199254740994');
  });

  it('forgets pending acks after a rebalance', () => {
    const t = new CommitTracker();
    t.ack('a', 0, '1');
    t.reset();
    expect(t.pending()).toEqual([]);
  });
});
