// No-op handler for the Pub/Sub benchmark (bench/pubsub): counts, and marks the first and the
// BENCH_EXPECTED-th message with a monotonic timestamp file, exactly as the baseline does.
import { writeFileSync } from 'node:fs';

const expected = Number(process.env.BENCH_EXPECTED);
const marks = process.env.BENCH_MARKS;
let count = 0;
export const handler = () => {
  count += 1;
  if (count === 1) writeFileSync(`${marks}.first`, String(process.hrtime.bigint()));
  if (count === expected) writeFileSync(`${marks}.done`, String(process.hrtime.bigint()));
  return '';
};
