import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  ErrorCodes, createError, isNucleonError, needsDefaultHttpTrigger, validateAttributes, type ConfigProblem, type FunctionConfig, type Logger,
  type ContextPlatform, type Runtime, type Trigger, type TriggerAddress, type TriggerConfig, type TriggerPlugin,
} from '@nucleon/core';
import { startAdminServer, type AdminServer } from './admin-server.js';
import { createWorkerContext } from './context-factory.js';
import { createFunctionCaller } from './function-caller.js';
import { createLogger, errorFields } from './logging.js';
import { ProcessorMetrics } from './metrics.js';
import { startLoopWatchdog, type LoopWatchdogOptions } from './loop-watchdog.js';
import { loadPlugin } from './plugin-loader.js';
import { runtimePackage, triggerPackage } from './plugin-names.js';
import { triggerAddresses } from './trigger-addresses.js';
import { WorkerPool } from './worker-pool.js';

export interface ProcessorOptions {
  config: FunctionConfig;
  /** Directory the handler lives in; plugins are resolved from here first. */
  functionDir: string;
  /** Overrides the first HTTP trigger's port (0 = any free port). */
  httpPort?: number;
  httpHost?: string;
  /** The first HTTP trigger binds with SO_REUSEPORT (a scale-to-zero function taking its port over from the activator). */
  httpReusePort?: boolean;
  /**
   * Where every other HTTP trigger listens when its configuration names no `host`, so a
   * platform's listeners stay where it says (the local platform: loopback) rather than on the
   * plugin's own default (0.0.0.0).
   */
  defaultHttpHost?: string;
  /** Port of /ready, /live and /metrics (default 8082; 0 = any free port). */
  adminPort?: number;
  adminHost?: string;
  /** Default deadline for draining on stop (default 10 s). */
  drainTimeoutMs?: number;
  /** Extra directories to resolve plugin packages from. */
  pluginPaths?: string[];
  /** Config warnings found while loading, logged at start. */
  warnings?: ConfigProblem[];
  logger?: Logger;
  logLevel?: string;
  /**
   * Watch the event loop from a worker thread (see loop-watchdog.ts). Off when not given: a
   * library user's process is its own; the `nucleon-processor` binary turns it on.
   */
  loopWatchdog?: LoopWatchdogOptions;
}

export interface RunningProcessor {
  readonly logger: Logger;
  httpAddress(): { host: string; port: number } | undefined;
  adminAddress(): { host: string; port: number };
  /** Every listening address of every trigger (what the admin server's `/addresses` answers). */
  addresses(): TriggerAddress[];
  /** Drains in-flight events (refusing new ones) within the deadline, then stops everything. */
  stop(deadlineMs?: number): Promise<void>;
}

interface RunningTrigger {
  name: string;
  kind: string;
  trigger: Trigger;
  pool: WorkerPool;
}

const DEFAULT_TRIGGER: TriggerConfig = Object.freeze({ kind: 'http', numWorkers: 1, workerAvailabilityTimeoutMilliseconds: 10_000, attributes: {} });
const OWN_DIR = dirname(fileURLToPath(import.meta.url));

/**
 * Starts a processor for one function: config -> plugins -> worker pools -> triggers.
 * Resolves once every trigger runs and /ready answers 200; any failure on the way stops
 * what was started and rejects with a coded error.
 */
export async function startProcessor(options: ProcessorOptions): Promise<RunningProcessor> {
  const { config } = options;
  const name = config.metadata.name;
  const logger = options.logger ?? createLogger({ level: options.logLevel, fields: { function: name } });
  for (const w of options.warnings ?? []) logger.warnWith('configuration warning', { path: w.path, warning: w.message });
  for (const { name: key, value } of config.spec.env) process.env[key] = value;

  const metrics = new ProcessorMetrics(name);
  let ready = false;
  let stopping: Promise<void> | undefined;
  const triggers: RunningTrigger[] = [];
  const searchPaths = [options.functionDir, ...(options.pluginPaths ?? []), process.cwd(), OWN_DIR];
  // First, so a handler module that blocks while it loads is caught too.
  const watchdog = options.loopWatchdog && startLoopWatchdog({ ...options.loopWatchdog, functionName: name, logger });
  const addresses = () => triggerAddresses(triggers.map((t) => ({ name: t.name, kind: t.kind, address: t.trigger.address?.() })));
  const configured = Object.entries(config.spec.triggers).filter(([, t]) => !t.disable);
  const withDefault = needsDefaultHttpTrigger(config);
  const entries = withDefault ? [...configured, ['default-http', DEFAULT_TRIGGER] as const] : configured;
  // The runtime starts first and in the background: a language wrapper (Python, Go) then
  // boots in its own process, on another core, while this thread loads the trigger plugins
  // and opens the admin port. A function's first request waits for exactly this start.
  let runtime: Runtime | undefined;
  const runtimeStarted = (async () => {
    const runtimePlugin = await loadPlugin({
      kind: 'runtime', packageName: runtimePackage(config.spec.runtime), configuredAs: config.spec.runtime,
      configPath: 'spec.runtime', searchPaths,
    });
    runtime = runtimePlugin.create({ function: config, functionDir: options.functionDir, logger: logger.child({ runtime: runtimePlugin.name }) });
    await runtime.start();
    return runtime;
  })();
  const triggerPlugins = entries.map(([triggerName, triggerConfig]) => loadPlugin({
    kind: 'trigger', packageName: triggerPackage(triggerConfig.kind), configuredAs: triggerConfig.kind,
    configPath: `spec.triggers.${triggerName}.kind`, searchPaths,
  }));
  // Awaited in order below (the runtime's error first, then each trigger's, as when they
  // loaded one after another); until then a rejection must not count as unhandled.
  for (const loading of [runtimeStarted, ...triggerPlugins]) loading.catch(() => undefined);
  const admin: AdminServer = await startAdminServer({
    host: options.adminHost ?? '127.0.0.1', port: options.adminPort ?? 8082, isReady: () => ready,
    metrics: () => metrics.render(), addresses, loop: () => watchdog?.state(),
  }).catch(async (err: unknown) => {
    await runtimeStarted.catch(() => undefined);
    await runtime?.stop().catch(() => undefined);
    await watchdog?.stop();
    throw err;
  });

  const stop = async (deadlineMs = options.drainTimeoutMs ?? 10_000): Promise<void> => {
    ready = false;
    const until = Date.now() + deadlineMs;
    const left = () => Math.max(0, until - Date.now());
    await Promise.all(triggers.map(async (t) => {
      const [, drained] = await Promise.all([stopTrigger(t, left(), logger), t.pool.drain(left())]);
      if (!drained) logger.warnWith('drain deadline passed with events still running', { trigger: t.name, inFlight: t.pool.inFlight });
      await t.pool.close();
    }));
    await runtime?.stop().catch((err: unknown) => logger.errorWith('runtime stop failed', errorFields(err)));
    await admin.close();
    await watchdog?.stop();
    logger.info('processor stopped');
  };

  try {
    const started = await runtimeStarted;
    const platform = createFunctionCaller({
      env: process.env, callerName: config.metadata.name, defaultTimeoutMs: config.spec.eventTimeoutMs, logger: logger.child({ component: 'calls' }),
    });
    if (withDefault) logger.info('no http trigger configured; adding the default HTTP trigger "default-http"');
    let httpOverridden = false;
    for (const [index, [triggerName, triggerConfig]] of entries.entries()) {
      const plugin = await triggerPlugins[index]!;
      const isHttp = triggerPackage(triggerConfig.kind) === triggerPackage('http');
      const override = isHttp && !httpOverridden ? listenOverride(options) : isHttp ? defaultHostOverride(options, triggerConfig) : undefined;
      if (isHttp) httpOverridden = true;
      triggers.push(await startTrigger({ triggerName, triggerConfig, plugin, override, config, runtime: started, metrics, logger, platform }));
    }
    ready = true;
    const http = triggers.map((t) => t.trigger.address?.()).find((a) => a !== undefined);
    logger.infoWith('processor ready', {
      triggers: triggers.map((t) => `${t.name} (${t.kind})`), httpPort: http?.port, adminPort: admin.address().port,
      addresses: addresses().map((a) => a.url), sinceProcessStartMs: Math.round(performance.now()),
    });
  } catch (err) {
    await stop(1000).catch(() => undefined);
    throw err;
  }

  return {
    logger,
    httpAddress: () => triggers.map((t) => t.trigger.address?.()).find((a) => a !== undefined),
    adminAddress: () => admin.address(),
    addresses,
    stop: (deadlineMs) => (stopping ??= stop(deadlineMs)),
  };
}

function listenOverride(options: ProcessorOptions): Record<string, unknown> | undefined {
  const override: Record<string, unknown> = {};
  if (options.httpPort !== undefined) override.port = options.httpPort;
  if (options.httpHost !== undefined) override.host = options.httpHost;
  if (options.httpReusePort === true) override.reusePort = true;
  return Object.keys(override).length > 0 ? override : undefined;
}

function defaultHostOverride(options: ProcessorOptions, triggerConfig: TriggerConfig): Record<string, unknown> | undefined {
  const configured = triggerConfig.attributes.host !== undefined;
  return options.defaultHttpHost !== undefined && !configured ? { host: options.defaultHttpHost } : undefined;
}

async function startTrigger(args: {
  triggerName: string; triggerConfig: TriggerConfig; plugin: TriggerPlugin; override: Record<string, unknown> | undefined;
  config: FunctionConfig; runtime: Runtime; metrics: ProcessorMetrics; logger: Logger; platform: ContextPlatform;
}): Promise<RunningTrigger> {
  const { triggerName, triggerConfig, plugin, config, runtime, metrics, logger, platform } = args;
  const path = `spec.triggers.${triggerName}`;
  const { attributes, warnings } = validateAttributes(path, plugin.name, plugin.attributes ?? {}, triggerConfig.attributes);
  for (const w of warnings) logger.warnWith('configuration warning', { path: w.path, warning: w.message });
  const numWorkers = triggerConfig.numWorkers ?? plugin.defaultWorkers ?? 1;
  const triggerLogger = logger.child({ trigger: triggerName });
  let pool: WorkerPool | undefined;
  try {
    pool = await WorkerPool.create({
      triggerName, numWorkers, runtime, logger: triggerLogger,
      availabilityTimeoutMs: triggerConfig.workerAvailabilityTimeoutMilliseconds,
      eventTimeoutMs: config.spec.eventTimeoutMs,
      createContext: (workerId) => createWorkerContext({ logger, functionName: config.metadata.name, triggerName, workerId, platform }),
      metrics: metrics.forTrigger(triggerName, () => pool?.inFlight ?? 0),
    });
    const trigger = plugin.create({
      name: triggerName, config: { ...triggerConfig, numWorkers, attributes: { ...attributes, ...args.override } },
      function: config, submitter: pool, logger: triggerLogger,
    });
    await trigger.start();
    return { name: triggerName, kind: triggerConfig.kind, trigger, pool };
  } catch (err) {
    await pool?.close();
    if (isNucleonError(err)) throw err;
    throw createError(ErrorCodes.PLUGIN_FAILED, `${path}: trigger ${plugin.name} failed to start: ${(err as Error).message}`,
      { cause: err, details: { plugin: plugin.name, hook: 'start' } });
  }
}

async function stopTrigger(t: RunningTrigger, deadlineMs: number, logger: Logger): Promise<void> {
  try {
    await t.trigger.stop(deadlineMs);
  } catch (err) {
    logger.errorWith('trigger stop failed', { trigger: t.name, ...errorFields(err) });
  }
}
