import type { Event, FunctionConfig } from '@nucleon/core';

/**
 * The environment every run starts from: the processor's own (PATH, HOME, ...), the
 * function's `spec.env`, and Nuclio's function variables.
 */
export function functionEnv(config: FunctionConfig, base: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(base)) if (value !== undefined) env[name] = value;
  for (const { name, value } of config.spec.env) env[name] = value;
  env.NUCLIO_FUNCTION_NAME = config.metadata.name;
  env.NUCLIO_FUNCTION_DESCRIPTION = config.spec.description ?? '';
  // Nucleon has no published function versions.
  env.NUCLIO_FUNCTION_VERSION = '-1';
  return env;
}

/**
 * Adds one event's metadata to `base`: Nuclio's `NUCLIO_EVENT_*` names (what existing
 * scripts read) and `NUCLEON_EVENT_*`, which also carry every header and query field.
 * The values are handed to execve as data; nothing evaluates them. A value that cannot be
 * an environment variable (it contains a NUL byte) is left out.
 */
export function eventEnv(event: Event, base: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { ...base };
  const set = (name: string, value: string | number | undefined): void => {
    if (value === undefined) return;
    const text = String(value);
    if (!text.includes('\0')) env[name] = text;
  };
  const timestamp = event.timestamp.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const shard = typeof event.shardId === 'number' ? event.shardId : Number.parseInt(event.shardId ?? '', 10);

  set('NUCLIO_EVENT_ID', event.id);
  set('NUCLIO_TRIGGER_KIND', event.trigger.kind);
  set('NUCLIO_EVENT_CONTENT_TYPE', event.contentType);
  set('NUCLIO_EVENT_TIMESTAMP', timestamp);
  set('NUCLIO_EVENT_PATH', event.path);
  set('NUCLIO_EVENT_URL', event.url);
  set('NUCLIO_EVENT_METHOD', event.method);
  set('NUCLIO_EVENT_SHARD_ID', Number.isFinite(shard) ? shard : 0);

  set('NUCLEON_EVENT_ID', event.id);
  set('NUCLEON_EVENT_METHOD', event.method);
  set('NUCLEON_EVENT_PATH', event.path);
  set('NUCLEON_EVENT_URL', event.url);
  set('NUCLEON_EVENT_CONTENT_TYPE', event.contentType);
  set('NUCLEON_EVENT_TIMESTAMP', event.timestamp.toISOString());
  set('NUCLEON_TRIGGER_KIND', event.trigger.kind);
  set('NUCLEON_TRIGGER_NAME', event.trigger.name);
  set('NUCLEON_EVENT_TOPIC', event.topic);
  set('NUCLEON_EVENT_SHARD_ID', event.shardId);
  set('NUCLEON_EVENT_OFFSET', event.offset);
  set('NUCLEON_EVENT_TYPE', event.type);
  set('NUCLEON_EVENT_TYPE_VERSION', event.typeVersion);
  set('NUCLEON_EVENT_VERSION', event.version);
  for (const [name, value] of Object.entries(event.headers)) {
    if (value !== undefined) set(`NUCLEON_EVENT_HEADER_${envName(name)}`, Array.isArray(value) ? value.join(', ') : value);
  }
  for (const [name, value] of Object.entries(event.fields)) {
    set(`NUCLEON_EVENT_FIELD_${envName(name)}`, Array.isArray(value) ? value.join(',') : value);
  }
  return env;
}

/** `X-Request-Id` -> `X_REQUEST_ID`: upper case, anything but A-Z and 0-9 as `_`. */
export function envName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}
