import { describe, expect, it } from 'vitest';
import { AckBatcher } from './ack-batcher.js';

/** A batcher whose flushes run when the test says so. */
function batcher() {
  const acks: number[] = [];
  const pending: Array<() => void> = [];
  const b = new AckBatcher((tag) => acks.push(tag), (flush) => pending.push(flush));
  const turn = (): void => { pending.splice(0).forEach((f) => f()); };
  return { b, acks, turn };
}

describe('AckBatcher', () => {
  it('acks a run of handled deliveries with one multiple-ack per turn', () => {
    const { b, acks, turn } = batcher();
    [1, 2, 3].forEach((t) => b.received(t));
    b.ack(1);
    b.ack(2);
    b.ack(3);
    turn();
    expect(acks).toEqual([3]);
  });

  it('never acks past a delivery still being handled', () => {
    const { b, acks, turn } = batcher();
    [1, 2, 3].forEach((t) => b.received(t));
    b.ack(2);
    b.ack(3);
    turn();
    expect(acks).toEqual([]);
    b.ack(1);
    turn();
    expect(acks).toEqual([3]);
  });

  it('skips nacked deliveries and names the highest acked tag, never a nacked one', () => {
    const { b, acks, turn } = batcher();
    [1, 2, 3, 4].forEach((t) => b.received(t));
    b.ack(1);
    b.ack(2);
    b.nacked(3);
    turn();
    expect(acks).toEqual([2]);
    b.nacked(4);
    turn();
    expect(acks).toEqual([2]); // nothing acked in that run: no frame at all
  });

  it('keeps working across many deliveries (the arrival list is compacted)', () => {
    const { b, acks, turn } = batcher();
    for (let t = 1; t <= 5000; t += 1) {
      b.received(t);
      b.ack(t);
      if (t % 100 === 0) turn();
    }
    turn();
    expect(acks.at(-1)).toBe(5000);
    expect(acks).toHaveLength(50);
  });
});
