import {
  createError, deliveryAttributeProblems, ErrorCodes, formatProblems, parseDuration, type ConfigProblem, type TriggerConfig,
} from '@nucleon/core';

/** The resolved, checked settings of one RabbitMQ trigger. */
export interface RabbitSettings {
  url: string;
  /** The URL with any password replaced by `***`, for messages and logs. */
  safeUrl: string;
  exchangeName?: string;
  exchangeType: string;
  queueName?: string;
  topics: string[];
  prefetchCount: number;
  durableExchange: boolean;
  durableQueue: boolean;
  reconnectIntervalMs: number;
}

/** Replaces the password of an amqp URL, so it can be printed. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/**
 * Reads and cross-checks the attributes; throws INVALID_CONFIG naming the trigger and attributes.
 * The delivery attributes (docs/delivery.md) are cross-checked here too, so one error lists every
 * problem of the trigger at once (a bad url and an `onExhausted: dead-letter` without target).
 */
export function readRabbitSettings(name: string, config: TriggerConfig): RabbitSettings {
  const attrs = config.attributes;
  const at = (key: string): string => `spec.triggers.${name}.attributes.${key}`;
  const problems: ConfigProblem[] = [];
  const url = (typeof attrs.url === 'string' && attrs.url !== '' ? attrs.url : undefined) ?? config.url;
  if (!url) {
    problems.push({ path: at('url'), message: 'is required (amqp://user:pass@host:port), here or as the trigger-level url' });
  } else if (!/^amqps?:\/\//.test(url)) {
    problems.push({ path: at('url'), message: `must be an amqp:// or amqps:// URL, got ${redactUrl(url)}` });
  }
  const topics = (attrs.topics as unknown[] | undefined) ?? [];
  if (topics.some((t) => typeof t !== 'string')) problems.push({ path: at('topics'), message: 'must be a list of strings' });
  const queueName = typeof attrs.queueName === 'string' && attrs.queueName !== '' ? attrs.queueName : undefined;
  const exchangeName = typeof attrs.exchangeName === 'string' && attrs.exchangeName !== '' ? attrs.exchangeName : undefined;
  if (!queueName && topics.length === 0) {
    problems.push({ path: at('queueName'), message: 'or topics is required: the trigger needs a queue to consume' });
  }
  if (topics.length > 0 && !exchangeName) {
    problems.push({ path: at('exchangeName'), message: 'is required when topics are given (the exchange to bind them on)' });
  }
  const reconnectIntervalMs = parseDuration(String(attrs.reconnectInterval ?? '15s'));
  if (reconnectIntervalMs === undefined) {
    problems.push({ path: at('reconnectInterval'), message: `is not a duration: ${String(attrs.reconnectInterval)}` });
  }
  problems.push(...deliveryAttributeProblems(`spec.triggers.${name}`, attrs));
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid configuration for trigger ${name}:\n${formatProblems(problems)}`,
      { details: { problems } });
  }
  return {
    url: url as string,
    safeUrl: redactUrl(url as string),
    ...(exchangeName ? { exchangeName } : {}),
    exchangeType: (attrs.exchangeType as string | undefined) ?? 'topic',
    ...(queueName ? { queueName } : {}),
    topics: topics as string[],
    prefetchCount: (attrs.prefetchCount as number | undefined) ?? config.numWorkers ?? 1,
    durableExchange: attrs.durableExchange !== false,
    durableQueue: attrs.durableQueue !== false,
    reconnectIntervalMs: Math.max(200, reconnectIntervalMs as number),
  };
}

