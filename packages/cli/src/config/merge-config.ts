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
  setDefined(spec, 'replicas', overrides.replicas);
  setDefined(spec, 'minReplicas', overrides.minReplicas);
  setDefined(spec, 'maxReplicas', overrides.maxReplicas);
  setDefined(spec, 'description', overrides.description);
  if (overrides.runtimeAttributes) spec.runtimeAttributes = mergeInto(spec.runtimeAttributes, overrides.runtimeAttributes);
  if (overrides.resourceLimits || overrides.resourceRequests) {
    const resources = isObject(spec.resources) ? { ...spec.resources } : {};
    if (overrides.resourceLimits) resources.limits = mergeInto(resources.limits, overrides.resourceLimits);
    if (overrides.resourceRequests) resources.requests = mergeInto(resources.requests, overrides.resourceRequests);
    spec.resources = resources;
  }
  if ((overrides.buildCommands?.length ?? 0) > 0 || overrides.baseImage !== undefined) {
    const build = isObject(spec.build) ? { ...spec.build } : {};
    // nuctl appends --build-command to the file's commands rather than replacing them.
    if (overrides.buildCommands?.length) build.commands = [...(Array.isArray(build.commands) ? build.commands : []), ...overrides.buildCommands];
    setDefined(build, 'baseImage', overrides.baseImage);
    spec.build = build;
  }
  return mergeMetadata(config, overrides);
}

function mergeMetadata(config: Record<string, unknown>, overrides: ConfigOverrides): Record<string, unknown> {
  const { name, namespace, labels, annotations } = overrides;
  if (name === undefined && namespace === undefined && labels === undefined && annotations === undefined) return config;
  if (config.metadata !== undefined && !isObject(config.metadata)) return config;
  const metadata: Record<string, unknown> = { ...(isObject(config.metadata) ? config.metadata : {}) };
  setDefined(metadata, 'name', name);
  setDefined(metadata, 'namespace', namespace);
  if (labels) metadata.labels = mergeInto(metadata.labels, labels);
  if (annotations) metadata.annotations = mergeInto(metadata.annotations, annotations);
  config.metadata = metadata;
  return config;
}

function setDefined(target: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) target[key] = value;
}

/** Flag entries over the file's mapping; a file value that is not a mapping is replaced. */
function mergeInto(current: unknown, extra: Record<string, unknown>): Record<string, unknown> {
  return { ...(isObject(current) ? current : {}), ...extra };
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
