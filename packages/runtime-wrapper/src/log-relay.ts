import type { Event, LogFields, Logger, LogLevel } from '@nucleon/core';
import { decodeJson } from './frame-codec.js';

const LEVELS: ReadonlyMap<string, LogLevel> = new Map<string, LogLevel>([
  ['debug', 'debug'], ['info', 'info'], ['warn', 'warn'], ['warning', 'warn'], ['error', 'error'], ['critical', 'error'],
]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Writes a LOG frame's line to `logger` at its level (unknown levels as info), with its
 * `with` fields and, for an event's line, the event id.
 */
export function relayLog(logger: Logger, payload: Buffer, event: Event | undefined): void {
  const log = decodeJson(payload);
  const level = LEVELS.get(String(log.level).toLowerCase()) ?? 'info';
  const message = typeof log.message === 'string' ? log.message : JSON.stringify(log.message ?? '');
  const fields: LogFields = isRecord(log.with) ? { ...log.with } : {};
  if (event) fields.eventId = event.id;
  switch (level) {
    case 'debug': logger.debugWith(message, fields); break;
    case 'info': logger.infoWith(message, fields); break;
    case 'warn': logger.warnWith(message, fields); break;
    case 'error': logger.errorWith(message, fields); break;
  }
}

/** Writes a METRIC frame to `logger` at debug; the processor's metrics registry has no hook for runtimes yet. */
export function relayMetric(logger: Logger, payload: Buffer, event: Event | undefined): void {
  const metric = decodeJson(payload);
  logger.debugWith('wrapper metric', {
    metric: metric.name, value: metric.value, labels: metric.labels, ...(event ? { eventId: event.id } : {}),
  });
}
