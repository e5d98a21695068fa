import { createError, ErrorCodes, formatProblems, type ConfigProblem } from '../errors.js';
import { FUNCTION_NAME_RULE, isFunctionName } from '../function-name.js';
import { checkBatchSupport, readBatch } from './batch.js';
import { parseDuration } from './duration.js';
import {
  ACK_MODES, DEFAULT_EVENT_TIMEOUT, DEFAULT_READINESS_TIMEOUT_SECONDS, DEFAULT_WORKER_AVAILABILITY_TIMEOUT_MS, ENV_ENTRY_FIELDS,
  SUPPORTED_API_VERSIONS, SUPPORTED_BUILD_FIELDS, SUPPORTED_SPEC_FIELDS, SUPPORTED_TRIGGER_FIELDS,
  UNSUPPORTED_BUILD_FIELDS, UNSUPPORTED_SPEC_FIELDS, UNSUPPORTED_TRIGGER_FIELDS,
} from './nuclio-fields.js';
import { ENV_NAME_RULE, isEnvName } from './env-name.js';
import { fieldPath, unknownKeyPath } from './field-path.js';
import { readKubernetesFields } from './kubernetes-fields.js';
import { describeType, isPlainObject, ProblemCollector } from './problems.js';
import { isCpuQuantity, isMemoryQuantity } from './quantity.js';
import type { BuildSpec, EnvVar, FunctionConfig, ResourceList, Resources, TriggerConfig } from './types.js';

export interface ValidateOptions {
  /** Name used when `metadata.name` is absent (the CLI passes the directory or file name). */
  defaultName?: string;
  /** Where the configuration came from, for messages. */
  source?: string;
}

export interface ValidatedConfig {
  config: FunctionConfig;
  /** Unknown or not-yet-supported fields: reported, never silently dropped. */
  warnings: ConfigProblem[];
}

const METADATA_FIELDS = ['name', 'namespace', 'labels', 'annotations'];
const WHOLE_NUMBER = /^\d+$/;

/**
 * Validates a parsed `function.yaml` (Nuclio format), reporting every problem at once with
 * its path in one NUCLEON_ERR_INVALID_CONFIG error. Returns a frozen config with defaults.
 */
export function validateFunctionConfig(raw: unknown, options: ValidateOptions = {}): ValidatedConfig {
  const p = new ProblemCollector();
  const root = isPlainObject(raw) ? raw : {};
  if (!isPlainObject(raw)) p.error('(root)', `expected a mapping with metadata and spec, got ${describeType(raw)}`);

  const apiVersion = root.apiVersion ?? 'nuclio.io/v1';
  if (typeof apiVersion !== 'string' || !(SUPPORTED_API_VERSIONS as readonly string[]).includes(apiVersion)) {
    p.error('apiVersion', `unsupported apiVersion (${describeType(apiVersion)}); expected one of ${SUPPORTED_API_VERSIONS.join(', ')}`);
  }
  if (root.kind !== undefined && root.kind !== 'NuclioFunction') {
    p.error('kind', `expected "NuclioFunction", got ${describeType(root.kind)}`);
  }
  for (const key of Object.keys(root)) {
    if (!['apiVersion', 'kind', 'metadata', 'spec', 'status'].includes(key)) p.warn(unknownKeyPath('', key), 'unknown top-level field, ignored');
  }

  const metadata = readMetadata(root.metadata, options.defaultName, p);
  const specRaw = root.spec ?? {};
  if (!isPlainObject(specRaw)) p.error('spec', `expected a mapping, got ${describeType(specRaw)}`);
  const spec = isPlainObject(specRaw) ? specRaw : {};

  for (const key of Object.keys(spec)) {
    if (SUPPORTED_SPEC_FIELDS.has(key)) continue;
    if (UNSUPPORTED_SPEC_FIELDS.has(key)) p.warn(fieldPath('spec', key), 'Nuclio field not supported by Nucleon yet, ignored');
    else p.warn(unknownKeyPath('spec', key), 'unknown field, ignored');
  }

  const handler = optionalString(spec.handler, 'spec.handler', p) ?? 'main:handler';
  const runtime = optionalString(spec.runtime, 'spec.runtime', p);
  if (spec.runtime === undefined || spec.runtime === null || spec.runtime === '') {
    p.error('spec.runtime', 'is required (for example "nodejs")');
  }

  const eventTimeout = readEventTimeout(spec.eventTimeout, p);
  // A validated config read back carries the derived value; one that disagrees was hand-written.
  if (spec.eventTimeoutMs !== undefined && spec.eventTimeoutMs !== eventTimeout.ms) {
    p.warn('spec.eventTimeoutMs', `derived from spec.eventTimeout (${eventTimeout.ms} ms); the value given is ignored, set eventTimeout instead`);
  }
  const config: FunctionConfig = {
    apiVersion: typeof apiVersion === 'string' ? apiVersion : 'nuclio.io/v1',
    kind: 'NuclioFunction',
    metadata,
    spec: {
      description: optionalString(spec.description, 'spec.description', p),
      handler,
      runtime: runtime ?? '',
      env: readEnv(spec.env, p),
      triggers: readTriggers(spec.triggers, p),
      resources: readResources(spec.resources, p),
      minReplicas: optionalInteger(spec.minReplicas, 'spec.minReplicas', 0, p),
      maxReplicas: optionalInteger(spec.maxReplicas, 'spec.maxReplicas', 1, p),
      replicas: optionalInteger(spec.replicas, 'spec.replicas', 0, p),
      scaleToZero: readScaleToZero(spec.scaleToZero, p),
      eventTimeout: eventTimeout.text,
      eventTimeoutMs: eventTimeout.ms,
      readinessTimeoutSeconds: optionalInteger(spec.readinessTimeoutSeconds, 'spec.readinessTimeoutSeconds', 1, p) ??
        DEFAULT_READINESS_TIMEOUT_SECONDS,
      build: readBuild(spec.build, p),
      image: optionalString(spec.image, 'spec.image', p),
      runtimeAttributes: readRuntimeAttributes(spec.runtimeAttributes, p),
      disableDefaultHTTPTrigger: optionalBoolean(spec.disableDefaultHTTPTrigger, 'spec.disableDefaultHTTPTrigger', p),
      ...readKubernetesFields(spec, p),
    },
  };
  checkBatchSupport(config.spec, p);
  const { minReplicas, maxReplicas } = config.spec;
  if (minReplicas !== undefined && maxReplicas !== undefined && minReplicas > maxReplicas) {
    p.error('spec.minReplicas', `(${minReplicas}) is greater than spec.maxReplicas (${maxReplicas})`);
  }
  if (config.spec.scaleToZero !== undefined && minReplicas !== 0) {
    p.warn('spec.scaleToZero', 'takes effect only with spec.minReplicas: 0 (Nuclio\'s rule); the function will not scale to zero');
  }

  if (p.errors.length > 0) {
    const where = options.source ? ` in ${options.source}` : '';
    throw createError(ErrorCodes.INVALID_CONFIG,
      `invalid function configuration${where} (${p.errors.length} problem${p.errors.length === 1 ? '' : 's'}):\n${formatProblems(p.errors)}`,
      { details: { problems: p.errors, warnings: p.warnings } });
  }
  // Clone first: attributes, scaleToZero and build values are the caller's objects.
  return { config: deepFreeze(structuredClone(config)), warnings: p.warnings };
}

function readMetadata(raw: unknown, defaultName: string | undefined, p: ProblemCollector): FunctionConfig['metadata'] {
  const meta = raw ?? {};
  if (!isPlainObject(meta)) {
    p.error('metadata', `expected a mapping, got ${describeType(meta)}`);
    return { name: defaultName ?? '', labels: {}, annotations: {} };
  }
  for (const key of Object.keys(meta)) {
    if (!METADATA_FIELDS.includes(key)) p.warn(unknownKeyPath('metadata', key), 'unknown field, ignored');
  }
  let name = meta.name ?? defaultName;
  if (name === undefined) {
    p.error('metadata.name', 'is required');
    name = '';
  } else if (!isFunctionName(name)) {
    p.error('metadata.name', `is not a valid name (${describeType(name)}): ${FUNCTION_NAME_RULE}`);
  }
  return {
    name: String(name),
    namespace: optionalString(meta.namespace, 'metadata.namespace', p),
    labels: stringMap(meta.labels, 'metadata.labels', p),
    annotations: stringMap(meta.annotations, 'metadata.annotations', p),
  };
}

function readEventTimeout(raw: unknown, p: ProblemCollector): { text: string; ms: number } {
  const text = raw === undefined || raw === '' ? DEFAULT_EVENT_TIMEOUT : raw;
  const ms = typeof text === 'string' ? parseDuration(text) : undefined;
  if (ms === undefined) {
    p.error('spec.eventTimeout', `is not a duration (${describeType(raw)}); use a string such as "30s", "500ms" or "1m30s"`);
    return { text: DEFAULT_EVENT_TIMEOUT, ms: 60_000 };
  }
  return { text: text as string, ms };
}

function readEnv(raw: unknown, p: ProblemCollector): EnvVar[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    p.error('spec.env', `expected a list of {name, value}, got ${describeType(raw)}`);
    return [];
  }
  const env: EnvVar[] = [];
  raw.forEach((item, i) => {
    const path = `spec.env[${i}]`;
    if (!isPlainObject(item) || typeof item.name !== 'string' || item.name === '') {
      p.error(path, 'expected {name, value} with a non-empty name');
      return;
    }
    if (!isEnvName(item.name)) p.error(`${path}.name`, `is not a valid environment variable name: ${ENV_NAME_RULE}`);
    for (const key of Object.keys(item)) {
      if (!ENV_ENTRY_FIELDS.has(key)) p.warn(unknownKeyPath(path, key), 'unknown field, ignored');
    }
    if (item.valueFrom !== undefined) {
      // Left out of the validated env: the kubelet sets it, and a processor must not overwrite it with "".
      p.warn(`${path}.valueFrom`, 'valueFrom (secrets, config maps) is applied by the Kubernetes platform only; elsewhere the variable is not set');
      return;
    }
    // `{name: A, valu: 1}` must not quietly become A="": say what happens instead.
    if (item.value === undefined || item.value === null) {
      p.warn(path, 'no value or valueFrom; the variable is set to ""');
    }
    const value = item.value ?? '';
    if (typeof value === 'object') p.error(`${path}.value`, `expected a string, got ${describeType(value)}`);
    env.push({ name: item.name, value: String(value) });
  });
  return env;
}

function readTriggers(raw: unknown, p: ProblemCollector): Record<string, TriggerConfig> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) {
    p.error('spec.triggers', `expected a mapping of trigger name to trigger, got ${describeType(raw)}`);
    return {};
  }
  const triggers: Record<string, TriggerConfig> = {};
  for (const [name, value] of Object.entries(raw)) {
    const path = fieldPath('spec.triggers', name);
    if (!isPlainObject(value)) {
      p.error(path, `expected a mapping with kind and attributes, got ${describeType(value)}`);
      continue;
    }
    for (const key of Object.keys(value)) {
      if (SUPPORTED_TRIGGER_FIELDS.has(key)) continue;
      if (UNSUPPORTED_TRIGGER_FIELDS.has(key)) p.warn(fieldPath(path, key), 'Nuclio field not supported by Nucleon yet, ignored');
      else p.warn(unknownKeyPath(path, key), 'unknown field, ignored');
    }
    if (typeof value.kind !== 'string' || value.kind === '') p.error(`${path}.kind`, 'is required (for example "http")');
    const attributes = value.attributes ?? {};
    if (!isPlainObject(attributes)) p.error(`${path}.attributes`, `expected a mapping, got ${describeType(attributes)}`);
    const ackMode = value.explicitAckMode;
    if (ackMode !== undefined && !(ACK_MODES as readonly unknown[]).includes(ackMode)) {
      p.error(`${path}.explicitAckMode`, `expected one of ${ACK_MODES.join(', ')}, got ${describeType(ackMode)}`);
    }
    // YAML 1.2 reads `yes`/`on` as strings; refusing them beats silently leaving the trigger on.
    if (value.disable !== undefined && value.disable !== null && typeof value.disable !== 'boolean') {
      p.error(`${path}.disable`, `expected true or false, got ${describeType(value.disable)}`);
    }
    if (value.maxWorkers !== undefined && value.numWorkers !== undefined) {
      p.warn(`${path}.maxWorkers`, 'both numWorkers and maxWorkers given; numWorkers wins');
    }
    triggers[name] = {
      kind: String(value.kind ?? ''),
      numWorkers: optionalInteger(value.numWorkers ?? value.maxWorkers,
        `${path}.${value.numWorkers === undefined && value.maxWorkers !== undefined ? 'maxWorkers' : 'numWorkers'}`, 1, p),
      workerAvailabilityTimeoutMilliseconds: optionalInteger(value.workerAvailabilityTimeoutMilliseconds,
        `${path}.workerAvailabilityTimeoutMilliseconds`, 0, p) ?? DEFAULT_WORKER_AVAILABILITY_TIMEOUT_MS,
      explicitAckMode: ackMode as TriggerConfig['explicitAckMode'],
      attributes: isPlainObject(attributes) ? attributes : {},
      disable: value.disable === true,
      url: optionalString(value.url, `${path}.url`, p),
      annotations: value.annotations === undefined ? undefined : stringMap(value.annotations, `${path}.annotations`, p),
      ...optionalBatch(readBatch(value.batch, `${path}.batch`, p)),
    };
  }
  return triggers;
}

/** Leaves `batch` out entirely when not configured, so a validated config reads back unchanged. */
function optionalBatch(batch: TriggerConfig['batch']): Pick<TriggerConfig, 'batch'> {
  return batch ? { batch } : {};
}

function readResources(raw: unknown, p: ProblemCollector): Resources {
  if (raw === undefined || raw === null) return { limits: {}, requests: {} };
  if (!isPlainObject(raw)) {
    p.error('spec.resources', `expected a mapping with limits and requests, got ${describeType(raw)}`);
    return { limits: {}, requests: {} };
  }
  return {
    limits: readResourceList(raw.limits, 'spec.resources.limits', p),
    requests: readResourceList(raw.requests, 'spec.resources.requests', p),
  };
}

function readResourceList(raw: unknown, path: string, p: ProblemCollector): ResourceList {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) {
    p.error(path, `expected a mapping, got ${describeType(raw)}`);
    return {};
  }
  const list: ResourceList = {};
  for (const [name, value] of Object.entries(raw)) {
    const text = typeof value === 'number' ? String(value) : value;
    if (name === 'nvidia.com/gpu') {
      const gpus = typeof text === 'string' && WHOLE_NUMBER.test(text.trim()) ? Number(text) : Number.NaN;
      if (!Number.isInteger(gpus)) p.error(`${path}["nvidia.com/gpu"]`, `expected a whole number of GPUs, got ${describeType(value)}`);
      else list['nvidia.com/gpu'] = gpus;
    } else if (typeof text !== 'string') {
      p.error(fieldPath(path, name), `expected a quantity, got ${describeType(value)}`);
    } else if (name === 'cpu' && !isCpuQuantity(text)) {
      p.error(`${path}.cpu`, 'is not a CPU quantity (for example "500m" or "2")');
    } else if (name === 'memory' && !isMemoryQuantity(text)) {
      p.error(`${path}.memory`, 'is not a memory quantity (for example "128Mi" or "1Gi")');
    } else {
      list[name] = text;
    }
  }
  return list;
}

function readScaleToZero(raw: unknown, p: ProblemCollector): FunctionConfig['spec']['scaleToZero'] {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) {
    p.error('spec.scaleToZero', `expected a mapping such as {scaleResources: [...]}, got ${describeType(raw)}`);
    return undefined;
  }
  const presets = readWindowPresets(raw.inactivityWindowPresets, p);
  const resources = raw.scaleResources;
  if (resources !== undefined && resources !== null) {
    if (!Array.isArray(resources)) p.error('spec.scaleToZero.scaleResources', `expected a list of {metricName, windowSize, threshold}, got ${describeType(resources)}`);
    else resources.forEach((resource, i) => checkScaleResource(resource, `spec.scaleToZero.scaleResources[${i}]`, presets, p));
  }
  return structuredClone(raw);
}

/** Nuclio's `inactivityWindowPresets`: the windows a `windowSize` may be chosen from. */
function readWindowPresets(raw: unknown, p: ProblemCollector): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw) || raw.some((w) => typeof w !== 'string' || parseDuration(w) === undefined)) {
    p.error('spec.scaleToZero.inactivityWindowPresets', 'expected a list of durations such as ["1m", "5m"]');
    return undefined;
  }
  return raw as string[];
}

function checkScaleResource(raw: unknown, path: string, presets: string[] | undefined, p: ProblemCollector): void {
  if (!isPlainObject(raw)) {
    p.error(path, `expected a mapping such as {metricName: nuclio_processor_handled_events, windowSize: 5m, threshold: 0}, got ${describeType(raw)}`);
    return;
  }
  if (raw.metricName !== undefined && typeof raw.metricName !== 'string') p.error(`${path}.metricName`, `expected a metric name, got ${describeType(raw.metricName)}`);
  const window = raw.windowSize;
  const windowMs = typeof window === 'string' ? parseDuration(window) : undefined;
  if (window !== undefined && (windowMs === undefined || windowMs <= 0)) {
    p.error(`${path}.windowSize`, `expected a positive duration such as "5m", got ${JSON.stringify(window)}`);
  } else if (typeof window === 'string' && presets && !presets.includes(window)) {
    p.error(`${path}.windowSize`, `"${window}" is not one of spec.scaleToZero.inactivityWindowPresets (${presets.join(', ')})`);
  }
  const threshold = raw.threshold;
  if (threshold !== undefined && (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0)) {
    p.error(`${path}.threshold`, `expected a number of events at or above 0, got ${JSON.stringify(threshold)}`);
  }
}

function readRuntimeAttributes(raw: unknown, p: ProblemCollector): Record<string, unknown> {
  if (raw === undefined || raw === null) return {};
  if (!isPlainObject(raw)) {
    p.error('spec.runtimeAttributes', `expected a mapping, got ${describeType(raw)}`);
    return {};
  }
  return structuredClone(raw);
}

function readBuild(raw: unknown, p: ProblemCollector): BuildSpec {
  if (raw === undefined || raw === null) return { commands: [] };
  if (!isPlainObject(raw)) {
    p.error('spec.build', `expected a mapping, got ${describeType(raw)}`);
    return { commands: [] };
  }
  for (const key of Object.keys(raw)) {
    if (SUPPORTED_BUILD_FIELDS.has(key)) continue;
    if (UNSUPPORTED_BUILD_FIELDS.has(key)) p.warn(fieldPath('spec.build', key), 'Nuclio field not supported by Nucleon yet, ignored');
    else p.warn(unknownKeyPath('spec.build', key), 'unknown field, ignored');
  }
  const commands = raw.commands ?? [];
  if (!Array.isArray(commands) || commands.some((c) => typeof c !== 'string')) {
    p.error('spec.build.commands', 'expected a list of strings');
  }
  return {
    ...raw,
    commands: Array.isArray(commands) ? commands.map(String) : [],
    baseImage: optionalString(raw.baseImage, 'spec.build.baseImage', p),
  };
}

function optionalString(value: unknown, path: string, p: ProblemCollector): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    p.error(path, `expected a string, got ${describeType(value)}`);
    return undefined;
  }
  return value;
}

function optionalBoolean(value: unknown, path: string, p: ProblemCollector): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') {
    p.error(path, `expected true or false, got ${describeType(value)}`);
    return undefined;
  }
  return value;
}

function optionalInteger(value: unknown, path: string, minimum: number, p: ProblemCollector): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum) {
    const found = typeof value === 'number' && Number.isInteger(value) ? `a number below ${minimum}` : describeType(value);
    p.error(path, `expected a whole number >= ${minimum}, got ${found}`);
    return undefined;
  }
  return value;
}

function stringMap(value: unknown, path: string, p: ProblemCollector): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) {
    p.error(path, `expected a mapping, got ${describeType(value)}`);
    return {};
  }
  const map: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v !== null && typeof v === 'object') p.error(fieldPath(path, k), `expected a string, got ${describeType(v)}`);
    else map[k] = String(v ?? '');
  }
  return map;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
