/**
 * The next offset to commit per partition. Kafka keeps one committed position per partition,
 * so acking offset n commits everything before it: acks only move it forward (a late explicit
 * ack of an earlier record never rewinds it), and `take` hands out what is not committed yet.
 */
export class CommitTracker {
  private readonly acked = new Map<string, { topic: string; partition: number; next: bigint }>();
  private readonly committed = new Map<string, bigint>();

  /** Records that `offset` was handled and acknowledged: the partition's commit moves to offset + 1. */
  ack(topic: string, partition: number, offset: string): void {
    const key = `${topic}\u0000${partition}`;
    const next = BigInt(offset) + 1n;
    const current = this.acked.get(key);
    if (current === undefined) this.acked.set(key, { topic, partition, next });
    else if (next > current.next) current.next = next;
  }

  /** The offsets to commit now (for one partition, or all), as kafkajs takes them. */
  pending(topic?: string, partition?: number): { topic: string; partition: number; offset: string }[] {
    const out: { topic: string; partition: number; offset: string }[] = [];
    for (const [key, entry] of this.acked) {
      if (topic !== undefined && (entry.topic !== topic || entry.partition !== partition)) continue;
      if (this.committed.get(key) === entry.next) continue;
      out.push({ topic: entry.topic, partition: entry.partition, offset: entry.next.toString() });
    }
    return out;
  }

  /** Marks offsets as committed once the broker took them. */
  committedNow(offsets: { topic: string; partition: number; offset: string }[]): void {
    for (const o of offsets) {
      const key = `${o.topic}\u0000${o.partition}`;
      const value = BigInt(o.offset);
      const before = this.committed.get(key);
      if (before === undefined || value > before) this.committed.set(key, value);
    }
  }

  /**
   * Forgets everything after a rebalance: the broker's committed offsets are the truth for the
   * new assignment, and an ack still pending from the old one must not rewind what the
   * partition's next owner committed (at worst a record is handled again; never skipped).
   */
  reset(): void {
    this.acked.clear();
    this.committed.clear();
  }
}
