import type { AttributeSchema } from '@nucleon/core';

/**
 * The cron trigger's attributes: Nuclio's (`schedule`, `interval`, `event`, `concurrencyPolicy`,
 * `jobBackoffLimit`) plus `timezone`. Nuclio applies `jobBackoffLimit` (and `Replace`) only to
 * Kubernetes CronJobs; here they are accepted with a warning, so Nuclio's functions deploy unchanged.
 */
export const cronAttributes: AttributeSchema = {
  schedule: {
    type: 'string',
    description: 'cron expression (5 fields, or 6 with seconds first), @hourly/@daily/@weekly/@monthly/@yearly, or @every <duration>; '
      + 'optional CRON_TZ=<zone> prefix. Exactly one of schedule and interval',
  },
  interval: { type: 'string', description: 'fixed period as a Go duration (500ms, 10s, 1m); exactly one of schedule and interval' },
  timezone: { type: 'string', description: 'IANA time zone the schedule is read in (Europe/Berlin); default UTC (Nucleon extension)' },
  event: { type: 'object', description: 'the event every tick delivers: { body, headers, path, method }' },
  concurrencyPolicy: {
    type: 'string',
    description: 'Forbid (default): a tick while a run is in progress is skipped; Allow: ticks run alongside, up to numWorkers; '
      + 'Replace (Nuclio, Kubernetes CronJobs only): accepted with a warning and run as Forbid',
  },
  jobBackoffLimit: {
    type: 'integer', minimum: 0, unsupported: true,
    description: 'retries of a failed Kubernetes CronJob run (Nuclio, Kubernetes CronJobs only; not applicable to ticks run by the processor)',
  },
};
