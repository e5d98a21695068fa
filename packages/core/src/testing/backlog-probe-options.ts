import { validateAttributes } from '../config/attributes.js';
import { validateFunctionConfig } from '../config/validate.js';
import type { BacklogProbeOptions, TriggerPlugin } from '../plugin.js';
import { InMemoryLogger } from './in-memory-logger.js';

/** What a test says about the one trigger it probes. */
export interface BacklogProbeTrigger {
  kind: string;
  attributes?: Record<string, unknown>;
  /** Other trigger fields (`url`, `numWorkers`, `explicitAckMode`). */
  fields?: Record<string, unknown>;
  /** Other fields of the function's spec (`minReplicas`, `env`). */
  spec?: Record<string, unknown>;
  /** The trigger's name; `probe` when not given. */
  name?: string;
  functionName?: string;
}

/**
 * The options the scaler gives `TriggerPlugin.backlog`, built the way the processor builds
 * what it gives `create`: the function validated, the trigger's attributes checked against the
 * plugin's schema and defaulted. So a probe's tests see exactly the configuration it will see.
 */
export function backlogProbeOptions(plugin: TriggerPlugin, trigger: BacklogProbeTrigger): BacklogProbeOptions & { logger: InMemoryLogger } {
  const name = trigger.name ?? 'probe';
  const { config } = validateFunctionConfig({
    metadata: { name: trigger.functionName ?? 'probed' },
    spec: { handler: 'main:handler', runtime: 'nodejs', ...trigger.spec, triggers: { [name]: { kind: trigger.kind, ...trigger.fields, attributes: trigger.attributes ?? {} } } },
  });
  const raw = config.spec.triggers[name];
  if (!raw) throw new Error(`validated config lost trigger ${name}`);
  const { attributes } = validateAttributes(`spec.triggers.${name}`, plugin.name, plugin.attributes, raw.attributes);
  return { name, config: { ...raw, attributes }, function: config, logger: new InMemoryLogger() };
}
