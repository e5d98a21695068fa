import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type DeployRequest, type FunctionConfig, findFreePort, hasHttpTrigger, memoryBytes, scaleToZeroPolicy } from '@nucleon/core';
import { buildPathPrefixes, prepareBuild, pruneBuilds } from './build-commands.js';
import { interrupted } from './deploy-interrupted.js';
import { publishAddress } from './function-addresses.js';
import { clientHost } from './http-binding.js';
import { isOurs, processStartTime, type ProcessIdentity } from './liveness.js';
import { linesFrom, logPosition } from './log-file.js';
import { withNameLock } from './name-lock.js';
import { choosePort } from './port-choice.js';
import type { ResolvedSettings } from './settings.js';
import { spawnSupervisor } from './spawn-supervisor.js';
import type { FunctionRecord, StateStore } from './state-store.js';
import { stopProcessor } from './stop-process.js';
import { startFailure, type PreviousAfterFailure } from './start-failure.js';
import { supervisorLimits } from './supervisor-options.js';
import { FAILED_STOP_DEADLINE_MS, startRecorded, SUPERVISOR_READY_WAIT_MS, supervisorSawReady } from './start-recorded.js';
import { readRunConfig } from './stored-config.js';
import { waitReady } from './wait-ready.js';


/**
 * Builds (when `spec.build.commands` are set), starts a supervised processor for the function
 * and records it once `/ready` answers 200. A function of the same name that is already
 * running is replaced. When the new processor needs another port, it starts first (config in
 * its own run folder) and the old one stops once the new one is ready, so a failed redeploy
 * leaves the old one serving. When it keeps the old one's HTTP port (configured, or kept from
 * the previous deployment), the old one stops first and is restarted if the new one fails.
 * A failed or interrupted (`request.signal`) first deploy leaves nothing behind.
 */
export async function deployFunction(store: StateStore, settings: ResolvedSettings, request: DeployRequest): Promise<FunctionRecord> {
  const name = request.config.metadata.name;
  // Bad limits are refused before anything is touched.
  supervisorLimits();
  if (request.signal?.aborted) throw interrupted(name, undefined, 'before it started');
  return withNameLock(store.stateDir, name, async () => {
    await store.ensureDir(name);
    await stopOrphan(store, name);
    const previous = await store.read(name);
    try {
      return await replace(store, settings, request, previous);
    } catch (err) {
      // A first deploy that failed leaves no folder `get` and `delete` cannot see.
      if (previous === undefined) await store.remove(name);
      throw err;
    }
  });
}

async function replace(store: StateStore, settings: ResolvedSettings, request: DeployRequest, previous: FunctionRecord | undefined): Promise<FunctionRecord> {
  const { config, signal } = request;
  const name = config.metadata.name;
  const progress = request.onProgress ?? (() => undefined);
  const timeoutMs = request.readinessTimeoutMs ?? config.spec.readinessTimeoutSeconds * 1000;
  const running = previous !== undefined && isOurs(previous, store.dir(name)) ? previous : undefined;

  const port = await choosePort(config, previous, running, progress);
  const build = config.spec.build.commands.length > 0
    ? await prepareBuild(config, request.functionDir, store.dir(name), progress, signal)
    : undefined;
  if (signal?.aborted) throw interrupted(name, running ? 'running' : undefined, 'after the build');
  let adminPort = await findFreePort();
  while (adminPort === port.httpPort) adminPort = await findFreePort();

  if (running && port.stopFirst) {
    progress(`stopping the previous deployment (pid ${running.pid}) to free port ${port.httpPort}`);
    await stopProcessor(running, store.dir(name));
  }
  const runDir = store.newRunDir(name);
  const configFile = join(runDir, 'function.json');
  await store.ensureRunDir(runDir);
  await store.writeJson(configFile, config);
  const logFile = store.logFile(name);
  const logStart = await logPosition(logFile);
  const functionDir = build?.codeDir ?? request.functionDir;
  progress(port.binding ? `starting processor on ${port.host}:${port.httpPort}` : 'starting processor (no HTTP trigger)');
  const child = spawnSupervisor({
    settings, runDir, configFile, functionDir, logFile, httpPort: port.httpPort, httpHost: port.host, adminPort, env: config.spec.env,
    pathPrefixes: build && buildPathPrefixes(build.buildDir), limits: supervisorLimits(), memoryLimitBytes: memoryLimit(config),
    // A scale-to-zero function shares its port with the scaler's activator while it hands over; so does any function the activator may hold now.
    reusePort: scaleToZeroPolicy(config) !== undefined || previous?.scaledToZero === true,
  });
  const pid = child.pid ?? 0;
  const spawned: ProcessIdentity = { pid, processorEntry: settings.processorEntry, startTime: pid > 0 ? processStartTime(pid) : undefined };
  await store.writeJson(pendingFile(store, name), { ...spawned, runDir });
  progress(`waiting for the processor to be ready (supervisor pid ${pid})`);
  let outcome = await waitReady(child, adminPort, timeoutMs, (seconds) => progress(`still waiting, ${seconds} s`), 50, signal);
  // The supervisor restarts only a processor it saw ready itself: a crash right after the deploy must count.
  if (outcome.kind === 'ready' && !(await supervisorSawReady(runDir, SUPERVISOR_READY_WAIT_MS))) outcome = { kind: 'timeout' };
  if (outcome.kind !== 'ready') {
    if (pid > 0) await stopProcessor(spawned, store.dir(name), FAILED_STOP_DEADLINE_MS);
    await rm(runDir, { recursive: true, force: true });
    await rm(pendingFile(store, name), { force: true });
    const lines = await linesFrom(logFile, logStart);
    const previousNow: PreviousAfterFailure | undefined = running && port.stopFirst ? await restartPrevious(store, settings, running) : running ? 'running' : undefined;
    if (previous) await pruneBuilds(store.dir(name), previous.buildDir);
    if (outcome.kind === 'aborted') throw interrupted(name, previousNow, 'while waiting for the processor');
    throw startFailure({ name, outcome, timeoutMs, logFile, lines, previous: previousNow, keepsLog: previous !== undefined });
  }

  const binding = port.binding;
  const record: FunctionRecord = {
    name, pid, startTime: spawned.startTime, runDir, httpPort: port.httpPort, httpHost: port.host, adminPort, functionDir,
    createdAt: new Date().toISOString(),
    runtime: config.spec.runtime,
    handler: config.spec.handler,
    processorEntry: settings.processorEntry,
    hasHttpTrigger: hasHttpTrigger(config),
    httpTrigger: binding?.trigger,
    buildDir: build?.buildDir,
  };
  // The stored config (`get -o yaml`, `export`) is only replaced once the new one serves.
  await store.writeJson(store.configFile(name), config);
  await store.write(record);
  await publishAddress(store.stateDir, record);
  await rm(pendingFile(store, name), { force: true });
  if (running && !port.stopFirst) await stopProcessor(running, store.dir(name));
  await store.pruneRuns(name, runDir);
  await pruneBuilds(store.dir(name), build?.buildDir);
  progress(port.binding ? `ready at http://${clientHost(port.host)}:${port.httpPort}` : 'ready');
  return record;
}

/** `spec.resources.limits.memory` in bytes, when set. */
function memoryLimit(config: FunctionConfig): number | undefined {
  const memory = config.spec.resources.limits.memory;
  return typeof memory === 'string' ? memoryBytes(memory) : undefined;
}

/** Starts the previous deployment again after a replacement that had to stop it first failed; returns how it ended, for the error message. */
async function restartPrevious(store: StateStore, settings: ResolvedSettings, previous: FunctionRecord): Promise<'restarted' | 'stopped'> {
  const config = await readRunConfig(store, previous);
  if (!config) return 'stopped';
  const started = await startRecorded(store, settings, previous, { timeoutMs: 30_000, config });
  if (started.kind !== 'ready') return 'stopped';
  await store.write(started.record);
  return 'restarted';
}

function pendingFile(store: StateStore, name: string): string {
  return join(store.dir(name), 'pending.json');
}

/**
 * A `pending.json` left behind means a CLI died while waiting for a processor to become
 * ready; that processor was never recorded, so stop it unless it is the recorded one.
 */
export async function stopOrphan(store: StateStore, name: string): Promise<void> {
  const file = pendingFile(store, name);
  const pending = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as Partial<ProcessIdentity> & { runDir?: string })
    .catch(() => undefined);
  if (!pending) return;
  const recorded = await store.read(name);
  if (typeof pending.pid === 'number' && typeof pending.processorEntry === 'string' && pending.pid !== recorded?.pid) {
    await stopProcessor({ pid: pending.pid, processorEntry: pending.processorEntry, startTime: pending.startTime }, store.dir(name), FAILED_STOP_DEADLINE_MS);
    if (typeof pending.runDir === 'string' && pending.runDir !== recorded?.runDir) await store.pruneRuns(name, recorded?.runDir);
  }
  await rm(file, { force: true });
}
