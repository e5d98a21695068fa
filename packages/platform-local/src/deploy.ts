import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createError, type DeployRequest, ErrorCodes, findFreePort, hasHttpTrigger } from '@nucleon/core';
import { publishAddress } from './function-addresses.js';
import { isOurProcessor } from './liveness.js';
import { tailLines } from './log-file.js';
import { withNameLock } from './name-lock.js';
import type { ResolvedSettings } from './settings.js';
import { spawnProcessor } from './spawn-processor.js';
import type { FunctionRecord, StateStore } from './state-store.js';
import { stopProcessor } from './stop-process.js';
import { describeOutcome, waitReady } from './wait-ready.js';

/** How many log lines a failed deploy's message carries. */
const LOG_TAIL_LINES = 20;
/** A processor that failed to become ready gets this long to exit after SIGTERM. */
const FAILED_STOP_DEADLINE_MS = 2_000;

/**
 * Starts a processor for the function and records it once `/ready` answers 200. A function
 * of the same name that is already running is replaced: the new processor starts first
 * (its config in `function.next.json`), and the old one is stopped only once the new one is
 * ready, so a failed redeploy leaves the old one serving.
 */
export async function deployFunction(store: StateStore, settings: ResolvedSettings, request: DeployRequest): Promise<FunctionRecord> {
  const { config, functionDir } = request;
  const name = config.metadata.name;
  const timeoutMs = request.readinessTimeoutMs ?? config.spec.readinessTimeoutSeconds * 1000;
  return withNameLock(store.stateDir, name, async () => {
    await store.ensureDir(name);
    await stopOrphan(store, name);
    const previous = await store.read(name);
    const replacing = previous !== undefined && isOurProcessor(previous.pid, previous.processorEntry);
    const configFile = replacing ? store.nextConfigFile(name) : store.configFile(name);
    await store.writeJson(configFile, config);
    const httpPort = await findFreePort();
    let adminPort = await findFreePort();
    while (adminPort === httpPort) adminPort = await findFreePort();
    const logFile = store.logFile(name);
    const child = spawnProcessor({ settings, configFile, functionDir, logFile, httpPort, adminPort, env: config.spec.env });
    const pid = child.pid ?? 0;
    await store.writeJson(pendingFile(store, name), { pid, processorEntry: settings.processorEntry });
    const outcome = await waitReady(child, adminPort, timeoutMs);
    if (outcome.kind !== 'ready') {
      if (pid > 0) await stopProcessor(pid, settings.processorEntry, FAILED_STOP_DEADLINE_MS);
      const tail = await tailLines(logFile, LOG_TAIL_LINES);
      // No record is written; the log stays, since the message points at it.
      if (replacing || previous === undefined) await rm(configFile, { force: true });
      await rm(pendingFile(store, name), { force: true });
      throw createError(ErrorCodes.DEPLOY_FAILED,
        `deploying function "${name}" on the local platform failed: ${describeOutcome(outcome, timeoutMs)}` +
        (replacing ? ' (the previous deployment keeps running)' : '') +
        (tail ? `\nlast lines of ${logFile}:\n${tail}` : `\n${logFile} is empty`),
        { details: { logFile, logTail: tail } });
    }
    if (replacing) await rename(configFile, store.configFile(name));
    const record: FunctionRecord = {
      name, pid, httpPort, adminPort, functionDir,
      createdAt: new Date().toISOString(),
      runtime: config.spec.runtime,
      handler: config.spec.handler,
      processorEntry: settings.processorEntry,
      hasHttpTrigger: hasHttpTrigger(config),
    };
    await store.write(record);
    await publishAddress(store.stateDir, record);
    await rm(pendingFile(store, name), { force: true });
    if (replacing && previous) await stopProcessor(previous.pid, previous.processorEntry);
    return record;
  });
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
    .then((text) => JSON.parse(text) as { pid?: number; processorEntry?: string })
    .catch(() => undefined);
  if (!pending) return;
  const recorded = await store.read(name);
  if (typeof pending.pid === 'number' && typeof pending.processorEntry === 'string' && pending.pid !== recorded?.pid) {
    await stopProcessor(pending.pid, pending.processorEntry, FAILED_STOP_DEADLINE_MS);
  }
  await rm(file, { force: true });
}
