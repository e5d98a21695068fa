// Pure helpers of bench/kafka (unit-tested in test/lib.test.mjs).

/** The median of a list of numbers (NaN for an empty list). */
export function median(xs) {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** End offsets from admin.fetchTopicOffsets: Map partition -> high watermark (BigInt). */
export function endOffsets(topicOffsets) {
  return new Map(topicOffsets.map((p) => [p.partition, BigInt(p.high ?? p.offset)]));
}

/**
 * How far a group is, from admin.fetchOffsets({groupId, topics: [topic]}) and the end offsets:
 * `committed` counts the records below each partition's committed offset (a partition with no
 * commit, offset -1, counts 0; the log starts at 0 on a fresh topic), `done` is true once every
 * partition's committed offset reached its end.
 */
export function progress(fetched, ends, topic) {
  const parts = new Map();
  for (const t of fetched) {
    if (t.topic !== topic) continue;
    for (const p of t.partitions) parts.set(p.partition, BigInt(p.offset));
  }
  let committed = 0n;
  let done = true;
  for (const [partition, end] of ends) {
    const c = parts.get(partition) ?? -1n;
    const at = c < 0n ? 0n : c > end ? end : c;
    committed += at;
    if (at < end) done = false;
  }
  return { committed: Number(committed), done };
}

/** A per-round table row's text figure: 12,345 */
export const int = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
export const fixed = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
