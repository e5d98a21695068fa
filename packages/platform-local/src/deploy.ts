import { readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { type DeployRequest, findFreePort, hasHttpTrigger } from '@nucleon/core';
import { buildPathPrefixes, prepareBuild, pruneBuilds } from './build-commands.js';
import { publishAddress } from './function-addresses.js';
import { clientHost, DEFAULT_HTTP_HOST } from './http-binding.js';
import { isOurProcessor } from './liveness.js';
import { fileSize, linesFrom } from './log-file.js';
import { withNameLock } from './name-lock.js';
import { choosePort } from './port-choice.js';
import type { ResolvedSettings } from './settings.js';
import { spawnProcessor } from './spawn-processor.js';
import type { FunctionRecord, StateStore } from './state-store.js';
import { stopProcessor } from './stop-process.js';
import { startFailure } from './start-failure.js';
import { waitReady, type ReadyOutcome } from './wait-ready.js';

/** A processor that failed to become ready gets this long to exit after SIGTERM. */
const FAILED_STOP_DEADLINE_MS = 2_000;

/**
 * Builds (when `spec.build.commands` are set), starts a processor for the function and records
 * it once `/ready` answers 200. A function of the same name that is already running is
 * replaced. When the new processor needs another port, it starts first (config in
 * `function.next.json`) and the old one stops once the new one is ready, so a failed redeploy
 * leaves the old one serving. When it keeps the old one's HTTP port (configured, or kept from
 * the previous deployment), the old one stops first and is restarted if the new one fails.
 * A failed first deploy leaves nothing behind.
 */
export async function deployFunction(store: StateStore, settings: ResolvedSettings, request: DeployRequest): Promise<FunctionRecord> {
  const name = request.config.metadata.name;
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
  const { config } = request;
  const name = config.metadata.name;
  const progress = request.onProgress ?? (() => undefined);
  const timeoutMs = request.readinessTimeoutMs ?? config.spec.readinessTimeoutSeconds * 1000;
  const running = previous !== undefined && isOurProcessor(previous.pid, previous.processorEntry, store.dir(name)) ? previous : undefined;

  const port = await choosePort(config, previous, running, progress);
  const build = config.spec.build.commands.length > 0
    ? await prepareBuild(config, request.functionDir, store.dir(name), progress)
    : undefined;
  let adminPort = await findFreePort();
  while (adminPort === port.httpPort) adminPort = await findFreePort();

  if (running && port.stopFirst) {
    progress(`stopping the previous deployment (pid ${running.pid}) to free port ${port.httpPort}`);
    await stopProcessor(running.pid, running.processorEntry, store.dir(name));
  }
  const configFile = running ? store.nextConfigFile(name) : store.configFile(name);
  await store.writeJson(configFile, config);
  const logFile = store.logFile(name);
  const logStart = await fileSize(logFile);
  const functionDir = build?.codeDir ?? request.functionDir;
  progress(port.binding ? `starting processor on ${port.host}:${port.httpPort}` : 'starting processor (no HTTP trigger)');
  const child = spawnProcessor({
    settings, configFile, functionDir, logFile, httpPort: port.httpPort, httpHost: port.host, adminPort, env: config.spec.env,
    pathPrefixes: build && buildPathPrefixes(build.buildDir),
  });
  const pid = child.pid ?? 0;
  await store.writeJson(pendingFile(store, name), { pid, processorEntry: settings.processorEntry });
  progress(`waiting for the processor (pid ${pid}) to be ready`);
  const outcome = await waitReady(child, adminPort, timeoutMs, (seconds) => progress(`still waiting, ${seconds} s`));
  if (outcome.kind !== 'ready') {
    if (pid > 0) await stopProcessor(pid, settings.processorEntry, store.dir(name), FAILED_STOP_DEADLINE_MS);
    await rm(configFile, { force: true });
    await rm(pendingFile(store, name), { force: true });
    const lines = await linesFrom(logFile, logStart);
    const previousNow = running && port.stopFirst ? await restartPrevious(store, settings, running) : running ? 'running' : undefined;
    if (previous) await pruneBuilds(store.dir(name), previous.buildDir);
    throw startFailure({ name, outcome, timeoutMs, logFile, lines, previous: previousNow, keepsLog: previous !== undefined });
  }

  if (running) await rename(configFile, store.configFile(name));
  const record: FunctionRecord = {
    name, pid, httpPort: port.httpPort, httpHost: port.host, adminPort, functionDir,
    createdAt: new Date().toISOString(),
    runtime: config.spec.runtime,
    handler: config.spec.handler,
    processorEntry: settings.processorEntry,
    hasHttpTrigger: hasHttpTrigger(config),
    buildDir: build?.buildDir,
  };
  await store.write(record);
  await publishAddress(store.stateDir, record);
  await rm(pendingFile(store, name), { force: true });
  if (running && !port.stopFirst) await stopProcessor(running.pid, running.processorEntry, store.dir(name));
  await pruneBuilds(store.dir(name), build?.buildDir);
  progress(port.binding ? `ready at http://${clientHost(port.host)}:${port.httpPort}` : 'ready');
  return record;
}

/**
 * Starts the previous deployment again from its recorded config, ports and build after a
 * replacement that had to stop it first failed. Returns how it ended, for the error message.
 */
async function restartPrevious(store: StateStore, settings: ResolvedSettings, previous: FunctionRecord): Promise<'restarted' | 'stopped'> {
  const configFile = store.configFile(previous.name);
  const env = await readFile(configFile, 'utf8')
    .then((text) => (JSON.parse(text) as DeployRequest['config']).spec.env)
    .catch(() => undefined);
  if (!env) return 'stopped';
  const child = spawnProcessor({
    settings, configFile, functionDir: previous.functionDir, logFile: store.logFile(previous.name),
    httpPort: previous.httpPort, httpHost: previous.httpHost ?? DEFAULT_HTTP_HOST, adminPort: previous.adminPort, env,
    pathPrefixes: previous.buildDir ? buildPathPrefixes(previous.buildDir) : undefined,
  });
  const outcome: ReadyOutcome = await waitReady(child, previous.adminPort, 30_000);
  if (outcome.kind !== 'ready' || !child.pid) return 'stopped';
  await store.write({ ...previous, pid: child.pid, processorEntry: settings.processorEntry });
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
    .then((text) => JSON.parse(text) as { pid?: number; processorEntry?: string })
    .catch(() => undefined);
  if (!pending) return;
  const recorded = await store.read(name);
  if (typeof pending.pid === 'number' && typeof pending.processorEntry === 'string' && pending.pid !== recorded?.pid) {
    await stopProcessor(pending.pid, pending.processorEntry, store.dir(name), FAILED_STOP_DEADLINE_MS);
  }
  await rm(file, { force: true });
}
