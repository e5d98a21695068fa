import type { AttributeSchema } from '@nucleon/core';

/** The cron trigger's attributes: Nuclio's (`schedule`, `interval`, `event`) plus `timezone` and `concurrencyPolicy`. */
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
    description: 'Forbid (default): a tick while a run is in progress is skipped; Allow: ticks run alongside, up to numWorkers (Nucleon extension)',
  },
};
