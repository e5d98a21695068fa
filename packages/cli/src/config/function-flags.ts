import { ErrorCodes, createError, type EnvVar } from '@nucleon/core';
import { usageError } from '../errors.js';
import { parseJsonObjectFlag, parseKeyValueList, parseKeyValueLists } from './key-value-flags.js';

/** The nuctl-style flags `run` and `deploy` share, as typed on the command line. */
export interface FunctionFlags {
  /** Directory with a function.yaml, a single handler file, or a function.yaml (`-p`, or the positional path). */
  path?: string;
  /** An explicit function.yaml (`-f`). */
  file?: string;
  runtime?: string;
  handler?: string;
  /** `NAME=VALUE` entries (`-e`, repeatable). */
  env?: string[];
  /** A JSON object of triggers, as nuctl's `--triggers`. */
  triggers?: string;
  /** Overrides metadata.name. */
  name?: string;
  /** Overrides spec.readinessTimeoutSeconds. */
  readinessTimeout?: number;
  /** metadata.namespace (`-n`); the local platform has one namespace and only records it. */
  namespace?: string;
  replicas?: number;
  minReplicas?: number;
  maxReplicas?: number;
  /** `a=b,c=d`, merged into metadata.labels. */
  labels?: string;
  /** `a=b,c=d`, merged into metadata.annotations. */
  annotations?: string;
  /** spec.description (`--desc`). */
  desc?: string;
  /** Appended to spec.build.commands (`--build-command`, repeatable). */
  buildCommand?: string[];
  /** spec.build.baseImage. */
  baseImage?: string;
  /** A JSON object merged into spec.runtimeAttributes. */
  runtimeAttrs?: string;
  /** `cpu=1,memory=128Mi` entries merged into spec.resources.limits / requests (repeatable). */
  resourceLimit?: string[];
  resourceRequest?: string[];
  /** The processor's log level for the function (sets NUCLEON_LOG_LEVEL in spec.env). */
  loggerLevel?: string;
}

/** Flags parsed into the config values they override. */
export interface ConfigOverrides {
  name?: string;
  runtime?: string;
  handler?: string;
  env: EnvVar[];
  triggers?: Record<string, unknown>;
  readinessTimeoutSeconds?: number;
  namespace?: string;
  replicas?: number;
  minReplicas?: number;
  maxReplicas?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  description?: string;
  buildCommands?: string[];
  baseImage?: string;
  runtimeAttributes?: Record<string, unknown>;
  resourceLimits?: Record<string, string>;
  resourceRequests?: Record<string, string>;
}

/** Log levels `--logger-level` accepts (Nuclio's names). */
export const LOGGER_LEVELS = ['debug', 'info', 'warn', 'error'] as const;

/** The environment variable the processor reads its log level from. */
export const LOG_LEVEL_ENV = 'NUCLEON_LOG_LEVEL';

/** Parses `-e NAME=VALUE` entries; a missing `=` or an empty name is a usage error. */
export function parseEnvFlags(entries: readonly string[] = []): EnvVar[] {
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const name = eq === -1 ? '' : entry.slice(0, eq).trim();
    if (name === '') throw usageError(`-e/--env expects NAME=VALUE, got "${entry}"`);
    return { name, value: entry.slice(eq + 1) };
  });
}

/**
 * Parses `--triggers '<json>'`: bad JSON or anything but an object is a usage error (exit 2);
 * what the triggers say is checked later by validation (exit 4, with paths).
 */
export function parseTriggersFlag(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw usageError(`--triggers is not valid JSON (${(err as Error).message}); expected an object such as '{"http":{"kind":"http"}}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError(`--triggers must be a JSON object of trigger name to trigger, such as '{"http":{"kind":"http"}}'`);
  }
  return value as Record<string, unknown>;
}

/** Turns the flags into overrides, failing on the first unusable one. */
export function overridesFrom(flags: FunctionFlags): ConfigOverrides {
  if (flags.runtime === '') throw usageError('--runtime must not be empty');
  if (flags.handler === '') throw usageError('--handler must not be empty');
  if (flags.loggerLevel !== undefined && !(LOGGER_LEVELS as readonly string[]).includes(flags.loggerLevel)) {
    throw usageError(`--logger-level must be one of ${LOGGER_LEVELS.join(', ')}, got "${flags.loggerLevel}"`);
  }
  const env = parseEnvFlags(flags.env);
  if (flags.loggerLevel !== undefined) env.push({ name: LOG_LEVEL_ENV, value: flags.loggerLevel });
  return {
    name: flags.name,
    runtime: flags.runtime,
    handler: flags.handler,
    env,
    triggers: parseTriggersFlag(flags.triggers),
    readinessTimeoutSeconds: flags.readinessTimeout,
    namespace: flags.namespace,
    replicas: flags.replicas,
    minReplicas: flags.minReplicas,
    maxReplicas: flags.maxReplicas,
    labels: parseKeyValueList('--labels', flags.labels),
    annotations: parseKeyValueList('--annotations', flags.annotations),
    description: flags.desc,
    buildCommands: flags.buildCommand,
    baseImage: flags.baseImage,
    runtimeAttributes: parseJsonObjectFlag('--runtime-attrs', flags.runtimeAttrs, '{"arguments":"-x"}'),
    resourceLimits: parseKeyValueLists('--resource-limit', flags.resourceLimit),
    resourceRequests: parseKeyValueLists('--resource-request', flags.resourceRequest),
  };
}

/** A parser for whole-number flags (ports, seconds), for commander's argParser. */
export function wholeNumber(flag: string, minimum = 0, maximum = Number.MAX_SAFE_INTEGER): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isInteger(n) || n < minimum || n > maximum) {
      throw createError(ErrorCodes.USAGE, `${flag} expects a whole number from ${minimum} to ${maximum}, got "${value}"`);
    }
    return n;
  };
}
