import { createError, ErrorCodes, type ScaleOptions } from '@nucleon/core';
import { isOurs } from './liveness.js';
import { linesFrom, logPosition } from './log-file.js';
import { withNameLock } from './name-lock.js';
import type { ResolvedSettings } from './settings.js';
import { startRecorded } from './start-recorded.js';
import { readRunConfig } from './stored-config.js';
import type { FunctionRecord, StateStore } from './state-store.js';
import { stopProcessor } from './stop-process.js';
import { startFailure } from './start-failure.js';

/**
 * `scale(name, 0)` stops the function's supervisor and processor and keeps everything else
 * (run folder, ports, build), marking the record `scaledToZero`; `scale(name, 1)` starts it
 * again from that run folder and resolves once it is ready. A wake that fails leaves the
 * function at zero and says why, with the processor's log lines. One processor per function.
 */
export async function scaleFunction(
  store: StateStore, settings: ResolvedSettings, name: string, replicas: number, options: ScaleOptions = {},
): Promise<FunctionRecord> {
  if (!Number.isInteger(replicas) || replicas < 0) {
    throw createError(ErrorCodes.USAGE, `replicas must be a whole number at or above 0, got ${replicas}`);
  }
  if (replicas > 1) {
    throw createError(ErrorCodes.USAGE, `the local platform runs one processor per function; scale "${name}" to 0 or 1`);
  }
  return withNameLock(store.stateDir, name, async () => {
    const record = await store.read(name);
    if (!record) throw createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found on the local platform`);
    return replicas === 0 ? toZero(store, record, options) : wake(store, settings, record, options);
  });
}

async function toZero(store: StateStore, record: FunctionRecord, options: ScaleOptions): Promise<FunctionRecord> {
  if (record.scaledToZero) return record;
  options.onProgress?.(`stopping the processor of "${record.name}" (supervisor pid ${record.pid})`);
  const gone = await stopProcessor(record, store.dir(record.name));
  if (!gone) throw createError(ErrorCodes.PLUGIN_FAILED, `could not stop the processor of "${record.name}" (pid ${record.pid})`);
  const zeroed: FunctionRecord = { ...record, scaledToZero: true };
  await store.write(zeroed);
  return zeroed;
}

async function wake(store: StateStore, settings: ResolvedSettings, record: FunctionRecord, options: ScaleOptions): Promise<FunctionRecord> {
  const dir = store.dir(record.name);
  if (!record.scaledToZero && isOurs(record, dir)) return record;
  const config = await readRunConfig(store, record);
  if (!config) throw createError(ErrorCodes.DEPLOY_FAILED, `cannot wake "${record.name}": its configuration is gone from ${record.runDir ?? dir}; deploy it again`);
  const timeoutMs = options.readinessTimeoutMs ?? config.spec.readinessTimeoutSeconds * 1000;
  const logFile = store.logFile(record.name);
  const logStart = await logPosition(logFile);
  options.onProgress?.(`starting the processor of "${record.name}"`);
  // The activator may hold the port right now: the processor shares it (SO_REUSEPORT) until the activator lets go.
  const started = await startRecorded(store, settings, record, { timeoutMs, signal: options.signal, reusePort: true, config });
  if (started.kind !== 'ready') {
    const lines = await linesFrom(logFile, logStart);
    throw startFailure({ name: record.name, outcome: started.outcome, timeoutMs, logFile, lines, keepsLog: true, action: 'waking' });
  }
  const woken: FunctionRecord = { ...started.record, scaledToZero: undefined };
  await store.write(woken);
  options.onProgress?.('ready');
  return woken;
}
