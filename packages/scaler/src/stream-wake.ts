import { validateAttributes, type Backlog, type FunctionConfig, type Logger, type TriggerPlugin } from '@nucleon/core';
import type { WakeReason } from './scaler-metrics.js';

/** Finds the plugin of a trigger kind (`kafka-cluster`, a package name); undefined when none is installed. */
export type TriggerResolver = (kind: string) => Promise<TriggerPlugin | undefined>;

/** Why a zeroed function should wake now, from its stream triggers. */
export interface StreamDemand {
  reason: Extract<WakeReason, 'stream' | 'cron'>;
  trigger: string;
  detail: string;
  /** For a cron wake: when the tick is due (the function must stay up until it has fired). */
  tickAt?: number;
}

/**
 * Asks each of the function's stream triggers whose plugin can look (`TriggerPlugin.backlog`)
 * what waits at its source. Demand when any has pending events, or a tick due within `leadMs`
 * (so the function is up when its cron fires). A probe that fails is logged and counts as no
 * demand: a broker that is down has nothing to deliver either.
 */
export async function streamDemand(config: FunctionConfig, options: {
  resolve: TriggerResolver; logger: Logger; leadMs: number; signal?: AbortSignal; now?: number;
}): Promise<StreamDemand | undefined> {
  const now = options.now ?? Date.now();
  for (const [name, trigger] of Object.entries(config.spec.triggers)) {
    if (trigger.disable || trigger.kind === 'http') continue;
    const plugin = await options.resolve(trigger.kind).catch(() => undefined);
    if (!plugin?.backlog) continue;
    const path = `spec.triggers.${name}`;
    let backlog: Backlog;
    try {
      const { attributes } = validateAttributes(path, plugin.name, plugin.attributes, trigger.attributes);
      backlog = await plugin.backlog({ name, config: { ...trigger, attributes }, function: config, logger: options.logger, signal: options.signal });
    } catch (err) {
      options.logger.warnWith('backlog probe failed', { function: config.metadata.name, trigger: name, error: (err as Error).message });
      continue;
    }
    if (backlog.pending > 0) return { reason: 'stream', trigger: name, detail: backlog.detail ?? `${backlog.pending} pending` };
    if (backlog.wakeAt && backlog.wakeAt.getTime() - now <= options.leadMs) {
      return { reason: 'cron', trigger: name, detail: backlog.detail ?? `next tick at ${backlog.wakeAt.toISOString()}`, tickAt: backlog.wakeAt.getTime() };
    }
  }
  return undefined;
}

/** Whether any trigger of the function is a stream trigger worth probing while it is at zero. */
export function hasStreamTriggers(config: FunctionConfig): boolean {
  return Object.values(config.spec.triggers).some((t) => !t.disable && t.kind !== 'http');
}
