import { describe, expect, it } from 'vitest';
import { quantityValue, sameQuantity } from './quantity.js';

describe('quantities', () => {
  it('reads decimal, binary and exponent forms', () => {
    expect(quantityValue('500m')).toBe(0.5);
    expect(quantityValue('2')).toBe(2);
    expect(quantityValue('1Gi')).toBe(2 ** 30);
    expect(quantityValue('1k')).toBe(1000);
    expect(quantityValue('1e3')).toBe(1000);
    expect(quantityValue(3)).toBe(3);
    expect(quantityValue('lots')).toBeUndefined();
  });

  it('compares by value as the server canonicalises', () => {
    expect(sameQuantity('1000m', '1')).toBe(true);
    expect(sameQuantity('0.5', '500m')).toBe(true);
    expect(sameQuantity('1024Mi', '1Gi')).toBe(true);
    expect(sameQuantity('100m', '0.1')).toBe(true);
    expect(sameQuantity('1Gi', '1G')).toBe(false);
    expect(sameQuantity('lots', 'lots')).toBe(true);
    expect(sameQuantity('lots', 'few')).toBe(false);
  });
});
