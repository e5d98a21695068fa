import type { ConfigOverrides } from './function-flags.js';

/** Defaults implied by a single handler file run without a function.yaml. */
export interface InferredDefaults {
  runtime?: string;
  handler?: string;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Merges flag overrides into a parsed function.yaml before validation: flags win over the
 * file, inferred defaults only fill what the file leaves out. `-e` replaces a variable of
 * the same name and appends new ones; `--triggers` replaces all triggers (as nuctl does).
 * A config that is not a mapping is returned as is, for validation to report.
 */
export function mergeConfig(raw: unknown, overrides: ConfigOverrides, inferred: InferredDefaults = {}): unknown {
  if (!isObject(raw)) return raw;
  const config = structuredClone(raw);
  if (config.spec !== undefined && !isObject(config.spec)) return config;
  const spec: Record<string, unknown> = isObject(config.spec) ? config.spec : {};
  config.spec = spec;

  spec.runtime = overrides.runtime ?? spec.runtime ?? inferred.runtime;
  spec.handler = overrides.handler ?? spec.handler ?? inferred.handler;
  if (spec.runtime === undefined) delete spec.runtime;
  if (spec.handler === undefined) delete spec.handler;
  if (overrides.env.length > 0) spec.env = mergeEnv(spec.env, overrides.env);
  if (overrides.triggers !== undefined) spec.triggers = overrides.triggers;
  if (overrides.readinessTimeoutSeconds !== undefined) spec.readinessTimeoutSeconds = overrides.readinessTimeoutSeconds;
  if (overrides.name !== undefined) {
    if (config.metadata !== undefined && !isObject(config.metadata)) return config;
    config.metadata = { ...(isObject(config.metadata) ? config.metadata : {}), name: overrides.name };
  }
  return config;
}

function mergeEnv(current: unknown, extra: ConfigOverrides['env']): unknown {
  if (current !== undefined && current !== null && !Array.isArray(current)) return current;
  const list = Array.isArray(current) ? [...current] : [];
  for (const variable of extra) {
    const at = list.findIndex((item) => isObject(item) && item.name === variable.name);
    if (at === -1) list.push({ ...variable });
    else list[at] = { ...variable };
  }
  return list;
}
