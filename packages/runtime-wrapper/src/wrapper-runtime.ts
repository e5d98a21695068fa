import {
  createError, ErrorCodes, isNucleonError, type Context, type Event, type Logger, type Runtime, type RuntimeCreateOptions,
} from '@nucleon/core';
import { ackFromWrapper } from './explicit-ack.js';
import { WrapperConnection } from './wrapper-connection.js';
import type { WrapperRuntimeSpec, WrapperSharing } from './wrapper-spec.js';
import { WrapperSupervisor } from './wrapper-supervisor.js';
import { WrapperWorker } from './wrapper-worker.js';

/** A Runtime whose handlers run in wrapper processes, plus what stream triggers and tests need. */
export interface WrapperRuntime extends Runtime {
  /** The sharing in effect (known after `start()`). */
  readonly sharing: WrapperSharing;
  /**
   * Calls `listener` for every ACK frame (a handler acknowledged its event), after `event.ack()`
   * was called; returns an unsubscribe function.
   */
  onAck(listener: (event: Event) => void): () => void;
  /** Pids of the wrappers that are READY now. */
  wrapperPids(): number[];
}

const DEFAULT_START_TIMEOUT_MS = 10_000;
const SHARING_VALUES: readonly string[] = ['per-worker', 'shared'];

/** Picks the sharing: `NUCLEON_WRAPPER_SHARING`, else `spec.runtimeAttributes.wrapperSharing`, else the runtime's default. */
export function resolveSharing(spec: WrapperRuntimeSpec, options: RuntimeCreateOptions, env = process.env): WrapperSharing {
  const fromEnv = env.NUCLEON_WRAPPER_SHARING;
  const fromConfig = options.function.spec.runtimeAttributes?.wrapperSharing;
  for (const [value, where] of [[fromEnv, 'NUCLEON_WRAPPER_SHARING'], [fromConfig, 'spec.runtimeAttributes.wrapperSharing']] as const) {
    if (value === undefined || value === '') continue;
    if (typeof value === 'string' && SHARING_VALUES.includes(value)) return value as WrapperSharing;
    throw createError(ErrorCodes.INVALID_CONFIG, `${where}: must be "per-worker" or "shared", got ${JSON.stringify(value)}`,
      { details: { problems: [{ path: where, message: 'must be "per-worker" or "shared"' }] } });
  }
  return spec.sharing ?? 'per-worker';
}

/**
 * The Runtime of a language that runs in wrapper processes (docs/protocol.md): `spec`
 * says how to build and launch the wrapper, this host does the rest (socket, handshake,
 * events, logs, crashes, restarts, drain). Use it as a runtime plugin's `create`:
 * `create: (options) => createWrapperRuntime(pythonSpec, options)`.
 */
export function createWrapperRuntime(spec: WrapperRuntimeSpec, options: RuntimeCreateOptions): WrapperRuntime {
  const startTimeoutMs = spec.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const live = new Set<WrapperSupervisor>();
  const ackListeners = new Set<(event: Event) => void>();
  let sharing: WrapperSharing = spec.sharing ?? 'per-worker';
  let shared: { supervisor: WrapperSupervisor; started: Promise<void> } | undefined;
  let stopped = false;

  // The record is acked at its source first; listeners (tests, metrics) only observe.
  const onAck = (event: Event, logger: Logger): void => {
    ackFromWrapper(event, logger);
    for (const listener of ackListeners) listener(event);
  };

  /** A supervisor whose wrappers serve `context`'s worker (or, shared, every worker). */
  const supervise = (context: Context, logger: Logger): WrapperSupervisor => {
    const { function: config, functionDir } = options;
    const specEnv = Object.fromEntries(config.spec.env.map((e) => [e.name, e.value]));
    const triggerKind = config.spec.triggers[context.triggerName]?.kind ?? (context.triggerName === 'default-http' ? 'http' : '');
    const supervisor = new WrapperSupervisor({
      name: spec.name, startTimeoutMs, logger,
      connect: (signal) => {
        const launch = spec.launch(options);
        return WrapperConnection.open({
          name: spec.name, command: launch.command, args: launch.args, cwd: launch.cwd ?? functionDir, logger, startTimeoutMs,
          env: {
            ...process.env, ...specEnv, ...launch.env,
            NUCLEON_HANDLER: config.spec.handler,
            NUCLEON_FUNCTION_DIR: functionDir,
            NUCLEON_FUNCTION_NAME: config.metadata.name,
            NUCLEON_WORKER_ID: String(context.workerId),
            NUCLEON_TRIGGER_NAME: context.triggerName,
            NUCLEON_TRIGGER_KIND: triggerKind,
          },
          welcome: {
            functionName: config.metadata.name, handler: config.spec.handler, workerId: context.workerId,
            eventTimeoutMs: config.spec.eventTimeoutMs,
          },
          onAck,
          platform: context.platform,
        }, signal);
      },
    });
    live.add(supervisor);
    return supervisor;
  };

  const startShared = (context: Context): Promise<WrapperSupervisor> => {
    if (!shared) {
      const supervisor = supervise({ ...context, workerId: 0 }, options.logger);
      const started = supervisor.start().catch(async (error: unknown) => {
        shared = undefined;
        live.delete(supervisor);
        await supervisor.kill(error as Error);
        throw error;
      });
      shared = { supervisor, started };
    }
    const { supervisor, started } = shared;
    return started.then(() => supervisor);
  };

  return {
    get sharing() {
      return sharing;
    },

    async start() {
      sharing = resolveSharing(spec, options);
      try {
        await spec.prepare?.(options);
      } catch (cause) {
        if (isNucleonError(cause)) throw cause;
        throw createError(ErrorCodes.RUNTIME_BUILD, `${spec.name} runtime: preparing the function failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
      }
      options.logger.debugWith('wrapper runtime started', { runtime: spec.name, sharing, startTimeoutMs });
    },

    async createWorker(context) {
      if (stopped) throw createError(ErrorCodes.SHUTTING_DOWN, `the ${spec.name} runtime is stopping`);
      if (sharing === 'shared') return new WrapperWorker(await startShared(context), true, () => undefined);
      const supervisor = supervise(context, context.logger);
      try {
        await supervisor.start();
      } catch (error) {
        live.delete(supervisor);
        await supervisor.kill(error as Error);
        throw error;
      }
      return new WrapperWorker(supervisor, false, () => live.delete(supervisor));
    },

    async stop() {
      stopped = true;
      await Promise.all([...live].map((s) => s.stop('the processor is stopping')));
      live.clear();
      shared = undefined;
    },

    onAck(listener) {
      ackListeners.add(listener);
      return () => ackListeners.delete(listener);
    },

    wrapperPids() {
      return [...live].map((s) => s.pid).filter((pid): pid is number => pid !== undefined);
    },
  };
}
