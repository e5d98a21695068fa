/**
 * Acknowledges one channel's deliveries in batches: once per event-loop turn, one
 * `basic.ack` with `multiple` for the longest run of settled deliveries at the front, instead
 * of one frame and one socket write per message (the bigger part of a consumer's CPU at high
 * prefetch). A delivery is acked only once every earlier delivery on the channel is settled,
 * so `multiple` never acknowledges a message still being handled.
 *
 * Settled means acked here, or nacked by the trigger itself (already gone from the broker's
 * unacked list). The batch ack names the highest *acked* tag of the run: RabbitMQ closes the
 * channel for a tag it does not hold, and a nacked tag is no longer held.
 */
export class AckBatcher {
  /** Delivery tags in arrival order, from `head` on still outstanding or not yet flushed. */
  private tags: number[] = [];
  private head = 0;
  /** Settled tags not yet flushed: true when acked, false when nacked. */
  private readonly settled = new Map<number, boolean>();
  private scheduled = false;

  constructor(private readonly ackUpTo: (tag: number) => void,
    private readonly schedule: (flush: () => void) => void = (flush) => setImmediate(flush)) {}

  /** A delivery arrived (tags arrive in increasing order on a channel). */
  received(tag: number): void {
    this.tags.push(tag);
  }

  /** The delivery was handled: acknowledge it with the next batch. */
  ack(tag: number): void {
    this.settle(tag, true);
  }

  /** The trigger nacked (or rejected) the delivery itself: it no longer holds the batch back. */
  nacked(tag: number): void {
    this.settle(tag, false);
  }

  /** Sends the batch ack for the settled run at the front, if any acked tag is in it. */
  flush(): void {
    this.scheduled = false;
    let highestAcked: number | undefined;
    while (this.head < this.tags.length) {
      const tag = this.tags[this.head] as number;
      const acked = this.settled.get(tag);
      if (acked === undefined) break;
      this.settled.delete(tag);
      if (acked) highestAcked = tag;
      this.head += 1;
    }
    if (this.head > 1024 && this.head * 2 > this.tags.length) {
      this.tags = this.tags.slice(this.head);
      this.head = 0;
    }
    if (highestAcked !== undefined) this.ackUpTo(highestAcked);
  }

  private settle(tag: number, acked: boolean): void {
    this.settled.set(tag, acked);
    if (!this.scheduled) {
      this.scheduled = true;
      this.schedule(() => this.flush());
    }
  }
}
