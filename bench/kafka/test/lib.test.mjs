import assert from 'node:assert/strict';
import { test } from 'node:test';
import { endOffsets, median, progress } from '../lib.mjs';

test('median', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('progress: no commit yet, partial, done, other topics ignored', () => {
  const ends = endOffsets([{ partition: 0, offset: '10', high: '10', low: '0' }, { partition: 1, offset: '5', high: '5', low: '0' }]);
  assert.deepEqual(progress([{ topic: 't', partitions: [{ partition: 0, offset: '-1' }, { partition: 1, offset: '-1' }] }], ends, 't'), { committed: 0, done: false });
  assert.deepEqual(progress([{ topic: 't', partitions: [{ partition: 0, offset: '10' }, { partition: 1, offset: '2' }] }], ends, 't'), { committed: 12, done: false });
  assert.deepEqual(progress([{ topic: 't', partitions: [{ partition: 0, offset: '10' }, { partition: 1, offset: '5' }] }], ends, 't'), { committed: 15, done: true });
  assert.deepEqual(progress([{ topic: 'x', partitions: [{ partition: 0, offset: '10' }, { partition: 1, offset: '5' }] }], ends, 't'), { committed: 0, done: false });
  // a partition missing from the answer counts as not started
  assert.deepEqual(progress([{ topic: 't', partitions: [{ partition: 0, offset: '10' }] }], ends, 't'), { committed: 10, done: false });
});
