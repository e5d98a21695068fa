import { describe, expect, it } from 'vitest';
import { validateAttributes } from '../config/attributes.js';
import { ErrorCodes, isNucleonError, type NucleonError } from '../errors.js';
import type { AttributeSchema } from '../plugin.js';
import { deliveryAttributes, readDeliveryAttributes } from './attributes.js';

const PATH = 'spec.triggers.orders';
const schema: AttributeSchema = { ...deliveryAttributes, topics: { type: 'array', required: true, description: 'topics' } };

function thrown(fn: () => unknown): NucleonError {
  try {
    fn();
  } catch (err) {
    expect(isNucleonError(err, ErrorCodes.INVALID_CONFIG)).toBe(true);
    return err as NucleonError;
  }
  throw new Error('expected a throw');
}

describe('deliveryAttributes', () => {
  it('fills the documented defaults and resolves onExhausted to drop without a dead letter', () => {
    const { attributes } = validateAttributes(PATH, 'kafka', schema, { topics: ['orders'] });
    expect(attributes).toEqual({ topics: ['orders'], maxAttempts: 3, retryInitialDelayMs: 100, retryMaxDelayMs: 10_000, retryMultiplier: 2 });
    expect(readDeliveryAttributes(PATH, attributes, 'enable')).toEqual({
      maxAttempts: 3, retryInitialDelayMs: 100, retryMaxDelayMs: 10_000, retryMultiplier: 2,
      onExhausted: 'drop', explicitAckMode: 'enable',
    });
  });

  it('defaults onExhausted to dead-letter when a target is set', () => {
    const { attributes } = validateAttributes(PATH, 'kafka', schema, { topics: ['orders'], deadLetter: 'orders-dlq', maxAttempts: 5 });
    expect(readDeliveryAttributes(PATH, attributes)).toMatchObject({
      maxAttempts: 5, deadLetter: 'orders-dlq', onExhausted: 'dead-letter', explicitAckMode: 'disable',
    });
  });

  it('refuses bad values with their paths, all at once', () => {
    const err = thrown(() => validateAttributes(PATH, 'kafka', schema, {
      topics: ['orders'], maxAttempts: 0, retryInitialDelayMs: -1, retryMultiplier: 0.5, onExhausted: 'retry-forever', deadLetter: 7,
    }));
    expect(err.details.problems?.map((p) => p.path).sort()).toEqual([
      `${PATH}.attributes.deadLetter`, `${PATH}.attributes.maxAttempts`, `${PATH}.attributes.onExhausted`,
      `${PATH}.attributes.retryInitialDelayMs`, `${PATH}.attributes.retryMultiplier`,
    ]);
    thrown(() => validateAttributes(PATH, 'kafka', schema, { topics: ['orders'], maxAttempts: 2.5 }));
  });

  it('refuses combinations one attribute alone cannot catch', () => {
    const deadLetterWithoutTarget = thrown(() => readDeliveryAttributes(PATH, { onExhausted: 'dead-letter' }));
    expect(deadLetterWithoutTarget.details.problems).toEqual([
      { path: `${PATH}.attributes.onExhausted`, message: 'is dead-letter but no deadLetter target is set' },
    ]);
    const unusedTarget = thrown(() => readDeliveryAttributes(PATH, { onExhausted: 'drop', deadLetter: 'dlq' }));
    expect(unusedTarget.details.problems?.[0]?.path).toBe(`${PATH}.attributes.deadLetter`);
    const inverted = thrown(() => readDeliveryAttributes(PATH, { retryInitialDelayMs: 500, retryMaxDelayMs: 100 }));
    expect(inverted.message).toContain('retryMaxDelayMs');
  });
});
