import { defineTrigger } from '@nucleon/core';
import { cronAttributes } from './attributes.js';
import { cronBacklog } from './backlog.js';
import { createCronTrigger } from './cron-trigger.js';

export { CronTrigger, createCronTrigger } from './cron-trigger.js';
export { cronBacklog } from './backlog.js';
export { intervalAnchor } from './schedule/anchor.js';
export { cronAttributes } from './attributes.js';
export { readCronSettings, tickHeaders } from './config.js';
export type { ConcurrencyPolicy, CronEventTemplate, CronSettings } from './config.js';
export { CronSyntaxError, parseCronExpression } from './schedule/cron-expression.js';
export type { CronField, CronSpec } from './schedule/cron-expression.js';
export { nextCronTime } from './schedule/next-time.js';
export { createSchedule, parseScheduleText, DEFAULT_ZONE } from './schedule/schedule.js';
export type { Schedule, ScheduleSpec } from './schedule/schedule.js';
export { timeZone } from './schedule/time-zone.js';
export type { TimeZone, WallTime } from './schedule/time-zone.js';

/** The `cron` trigger plugin (Nuclio kind `cron`). */
export default defineTrigger({
  name: '@nucleon/trigger-cron',
  coreRange: '^0.1.0',
  attributes: cronAttributes,
  defaultWorkers: 1,
  create: createCronTrigger,
  backlog: cronBacklog,
});
