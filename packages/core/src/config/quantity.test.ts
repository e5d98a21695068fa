import { describe, expect, it } from 'vitest';
import { cpuCores, isCpuQuantity, isMemoryQuantity, memoryBytes } from './quantity.js';

describe('CPU quantities', () => {
  it.each(['1', '2', '0.5', '500m', '1500m'])('accepts %j', (q) => expect(isCpuQuantity(q)).toBe(true));
  it.each(['', 'm', '500 m', '1.5m', '-1', '2 cores', '1Gi', '.5'])('refuses %j', (q) => expect(isCpuQuantity(q)).toBe(false));
  it.each([['500m', 0.5], ['2', 2], ['0.25', 0.25], ['1500m', 1.5]])('%j is %d cores', (q, cores) => {
    expect(cpuCores(q)).toBe(cores);
  });
});

describe('memory quantities', () => {
  it.each(['128Mi', '1Gi', '1G', '512k', '1048576', '1.5Gi', '2Ti'])('accepts %j', (q) => expect(isMemoryQuantity(q)).toBe(true));
  it.each(['', 'Mi', '128 Mi', '128mb', '128MB', '-1Gi', '1Gib'])('refuses %j', (q) => expect(isMemoryQuantity(q)).toBe(false));
  it.each([
    ['128Mi', 134_217_728], ['1Gi', 1_073_741_824], ['1Ki', 1024], ['1.5Gi', 1_610_612_736],
    ['1G', 1e9], ['512k', 512_000], ['1048576', 1_048_576],
  ])('%j is %d bytes', (q, bytes) => expect(memoryBytes(q)).toBe(bytes));
  it('is NaN for text that is not a quantity', () => expect(memoryBytes('lots')).toBeNaN());
});
