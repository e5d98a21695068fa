import type { Backlog, BacklogProbeOptions } from '@nucleon/core';
import { readCronSettings } from './config.js';
import { intervalAnchor } from './schedule/anchor.js';
import { createSchedule } from './schedule/schedule.js';

/**
 * Stream wake for cron: nothing is pending, but the trigger must be running at its next tick.
 * The tick is computed as the trigger computes it when it starts now (same settings, same
 * schedule, same interval anchor), so a function at zero is woken in time for it.
 */
export async function cronBacklog(options: BacklogProbeOptions): Promise<Backlog> {
  const now = Date.now();
  const settings = readCronSettings(options.name, options.config, now);
  const schedule = createSchedule(settings.schedule, intervalAnchor(options.function, now));
  const next = schedule.next(now);
  if (next === undefined) return { pending: 0, detail: `${schedule.description}: no tick in the next five years` };
  const wakeAt = new Date(next);
  return { pending: 0, wakeAt, detail: `${schedule.description}: next tick ${wakeAt.toISOString()}` };
}
