import { join } from 'node:path';
import { memoryBytes, sleep, type FunctionConfig } from '@nucleon/core';
import { buildPathPrefixes } from './build-commands.js';
import { DEFAULT_HTTP_HOST } from './http-binding.js';
import { processStartTime, type ProcessIdentity } from './liveness.js';
import type { ResolvedSettings } from './settings.js';
import { spawnSupervisor } from './spawn-supervisor.js';
import type { FunctionRecord, StateStore } from './state-store.js';
import { stopProcessor } from './stop-process.js';
import { supervisorLimits } from './supervisor-options.js';
import { readSupervisorState } from './supervisor-state.js';
import { waitReady, type ReadyOutcome } from './wait-ready.js';

/** How long after /ready answered the platform waits for the supervisor to have seen it too. */
export const SUPERVISOR_READY_WAIT_MS = 5_000;
/** A processor that failed to become ready gets this long to exit after SIGTERM. */
export const FAILED_STOP_DEADLINE_MS = 2_000;

/** How {@link startRecorded} ended. */
export type RecordedStart = { kind: 'ready'; record: FunctionRecord } | { kind: 'failed'; outcome: ReadyOutcome };

/**
 * Starts a recorded deployment again from its own run folder (config, ports, build): after a
 * replacement that had to stop it failed, or to wake it from zero. Resolves with the record
 * of the new supervisor once the supervisor saw the processor ready; a processor that does not
 * get there is stopped.
 */
export async function startRecorded(store: StateStore, settings: ResolvedSettings, record: FunctionRecord, options: {
  timeoutMs: number; config: FunctionConfig; signal?: AbortSignal; reusePort?: boolean;
}): Promise<RecordedStart> {
  const { config } = options;
  const runDir = record.runDir ?? store.newRunDir(record.name);
  const configFile = record.runDir ? join(record.runDir, 'function.json') : store.configFile(record.name);
  const memory = config.spec.resources.limits.memory;
  const child = spawnSupervisor({
    settings, runDir, configFile, functionDir: record.functionDir, logFile: store.logFile(record.name),
    httpPort: record.httpPort, httpHost: record.httpHost ?? DEFAULT_HTTP_HOST, adminPort: record.adminPort, env: config.spec.env,
    pathPrefixes: record.buildDir ? buildPathPrefixes(record.buildDir) : undefined,
    limits: supervisorLimits(), memoryLimitBytes: typeof memory === 'string' ? memoryBytes(memory) : undefined,
    reusePort: options.reusePort,
  });
  const pid = child.pid ?? 0;
  const spawned: ProcessIdentity = { pid, processorEntry: settings.processorEntry, startTime: pid > 0 ? processStartTime(pid) : undefined };
  let outcome = await waitReady(child, record.adminPort, options.timeoutMs, undefined, 50, options.signal);
  if (outcome.kind === 'ready' && !(await supervisorSawReady(runDir, SUPERVISOR_READY_WAIT_MS))) outcome = { kind: 'timeout' };
  if (outcome.kind !== 'ready' || pid === 0) {
    if (pid > 0) await stopProcessor(spawned, store.dir(record.name), FAILED_STOP_DEADLINE_MS);
    return { kind: 'failed', outcome };
  }
  return { kind: 'ready', record: { ...record, pid, startTime: spawned.startTime, runDir, processorEntry: settings.processorEntry } };
}

/** Polls the supervisor's state until it says `ready` (or `restarting`: it saw ready and the processor died since). */
export async function supervisorSawReady(runDir: string, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const state = readSupervisorState(runDir)?.state;
    if (state === 'ready' || state === 'restarting') return true;
    if (Date.now() > until) return false;
    await sleep(25);
  }
}
