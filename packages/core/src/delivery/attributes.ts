import { createError, ErrorCodes, formatProblems, type ConfigProblem } from '../errors.js';
import type { AttributeSchema } from '../plugin.js';

/** What happens to a record whose last attempt failed. */
export type OnExhausted = 'dead-letter' | 'drop' | 'stop';

/** Nuclio's trigger-level `explicitAckMode`. */
export type ExplicitAckMode = 'disable' | 'enable' | 'explicitOnly';

/**
 * The delivery attributes every stream trigger accepts, with the same keys and defaults.
 * A trigger spreads them into its own schema (`{ ...deliveryAttributes, brokers: ... }`) and
 * reads them back with {@link readDeliveryAttributes}; `docs/delivery.md` documents them once.
 */
export const deliveryAttributes: AttributeSchema = {
  maxAttempts: {
    type: 'integer', minimum: 1, default: 3,
    description: 'handler attempts per record, the first try included (1 = no retry)',
  },
  retryInitialDelayMs: {
    type: 'integer', minimum: 0, default: 100,
    description: 'delay before the first retry, in milliseconds',
  },
  retryMaxDelayMs: {
    type: 'integer', minimum: 0, default: 10_000,
    description: 'upper bound of any retry delay, in milliseconds',
  },
  retryMultiplier: {
    type: 'number', minimum: 1, default: 2,
    description: 'factor applied to the delay after each failed attempt (1 = constant delay)',
  },
  deadLetter: {
    type: 'string',
    description: 'where exhausted records go: a topic (Kafka), exchange (RabbitMQ), stream, subject...; absent = none',
  },
  onExhausted: {
    type: 'string', enum: ['dead-letter', 'drop', 'stop'],
    description: 'after the last attempt: dead-letter then ack, drop (ack and log at error) or stop (never ack); ' +
      'default dead-letter when deadLetter is set, drop otherwise',
  },
};

/** The delivery settings of one trigger, resolved from its validated attributes. */
export interface DeliveryOptions {
  maxAttempts: number;
  retryInitialDelayMs: number;
  retryMaxDelayMs: number;
  retryMultiplier: number;
  /** The dead-letter target; set exactly when `onExhausted` is `dead-letter`. */
  deadLetter?: string;
  onExhausted: OnExhausted;
  explicitAckMode: ExplicitAckMode;
}

/**
 * Resolves the delivery settings from attributes already checked by `validateAttributes`
 * against a schema that includes {@link deliveryAttributes}, and checks what one attribute
 * alone cannot (see {@link deliveryAttributeProblems}). Throws INVALID_CONFIG naming the
 * trigger and the attributes.
 */
export function readDeliveryAttributes(triggerPath: string, attributes: Record<string, unknown>,
  explicitAckMode: ExplicitAckMode = 'disable'): DeliveryOptions {
  const problems = deliveryAttributeProblems(triggerPath, attributes);
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG,
      `invalid delivery attributes for trigger ${triggerPath.split('.').pop()}:\n${formatProblems(problems)}`,
      { details: { problems } });
  }
  const deadLetter = deadLetterOf(attributes);
  const onExhausted = onExhaustedOf(attributes);
  return Object.freeze({
    maxAttempts: numberOf(attributes, 'maxAttempts'),
    retryInitialDelayMs: numberOf(attributes, 'retryInitialDelayMs'),
    retryMaxDelayMs: numberOf(attributes, 'retryMaxDelayMs'),
    retryMultiplier: numberOf(attributes, 'retryMultiplier'),
    onExhausted,
    explicitAckMode,
    ...(onExhausted === 'dead-letter' && deadLetter ? { deadLetter } : {}),
  });
}

/**
 * The problems of the delivery attributes taken together: `onExhausted: dead-letter` needs a
 * `deadLetter` target (and a target needs that mode), and the delays must be ordered. A trigger
 * adds them to its own problems, so one error lists everything wrong with the trigger.
 */
export function deliveryAttributeProblems(triggerPath: string, attributes: Record<string, unknown>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const at = (key: string): string => `${triggerPath}.attributes.${key}`;
  const deadLetter = deadLetterOf(attributes);
  const onExhausted = onExhaustedOf(attributes);
  if (onExhausted === 'dead-letter' && !deadLetter) {
    problems.push({ path: at('onExhausted'), message: 'is dead-letter but no deadLetter target is set' });
  }
  if (onExhausted !== 'dead-letter' && deadLetter) {
    problems.push({ path: at('deadLetter'), message: `is set but onExhausted is ${onExhausted}, so it would never be used` });
  }
  const initial = numberOf(attributes, 'retryInitialDelayMs');
  const max = numberOf(attributes, 'retryMaxDelayMs');
  if (max < initial) {
    problems.push({ path: at('retryMaxDelayMs'), message: `must be >= retryInitialDelayMs (${initial}), got ${max}` });
  }
  return problems;
}

const numberOf = (attributes: Record<string, unknown>, key: string): number =>
  (attributes[key] ?? deliveryAttributes[key]?.default) as number;

const deadLetterOf = (attributes: Record<string, unknown>): string | undefined =>
  (typeof attributes.deadLetter === 'string' && attributes.deadLetter !== '' ? attributes.deadLetter : undefined);

const onExhaustedOf = (attributes: Record<string, unknown>): OnExhausted =>
  (attributes.onExhausted as OnExhausted | undefined) ?? (deadLetterOf(attributes) ? 'dead-letter' : 'drop');
