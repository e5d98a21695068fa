import type { Context } from './context.js';
import type { Event } from './event.js';
import type { Logger } from './logger.js';
import type { Response } from './response.js';
import type { FunctionConfig, TriggerConfig } from './config/types.js';
import type { ConfigProblem } from './errors.js';

export type PluginKind = 'trigger' | 'runtime' | 'platform';

/** One attribute a plugin accepts under `attributes:`; used to validate and to document. */
export interface AttributeSpec {
  type: 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array';
  description: string;
  default?: unknown;
  required?: boolean;
  /** Allowed values, for string attributes. */
  enum?: readonly string[];
  minimum?: number;
  /** Accepted for Nuclio compatibility but not acted on yet: a warning at load. */
  unsupported?: boolean;
}

export type AttributeSchema = Record<string, AttributeSpec>;

/** What every plugin package's default export declares about itself. */
export interface PluginBase<K extends PluginKind> {
  kind: K;
  /** The package name, for messages (`@nucleon/trigger-http`). */
  name: string;
  /** The semver range of `@nucleon/core` this plugin was written against. */
  coreRange: string;
}

// ---------------------------------------------------------------------------------------
// Triggers

/**
 * What a trigger hands events to. The processor's worker pool implements it: it waits a
 * bounded time for a free worker, applies `eventTimeout`, records metrics, and resolves with
 * the handler's normalised response. It rejects with a NucleonError whose code tells the
 * trigger what happened (NO_WORKER_AVAILABLE, EVENT_TIMEOUT, HANDLER_FAILED, SHUTTING_DOWN).
 */
export interface EventSubmitter {
  submit(event: Event): Promise<Response>;
  /**
   * The same as `submit`, callback style: `done(undefined, response)` or `done(error)`,
   * called exactly once. Saves the promise allocations on hot paths (the HTTP trigger).
   */
  dispatch?(event: Event, done: EventCallback): void;
}

export type EventCallback = (error: Error | undefined, response?: Response) => void;

export interface TriggerCreateOptions {
  /** The trigger's name (its key under `spec.triggers`). */
  name: string;
  /** The validated trigger configuration, attributes defaulted from the plugin's schema. */
  config: TriggerConfig;
  function: FunctionConfig;
  submitter: EventSubmitter;
  logger: Logger;
}

/** A running source of events. */
export interface Trigger {
  start(): Promise<void>;
  /** Stop taking new events and finish in-flight ones within `deadlineMs`. */
  stop(deadlineMs: number): Promise<void>;
  /** Where the trigger listens, when that means anything (an HTTP port). */
  address?(): { host: string; port: number } | undefined;
}

/** What {@link TriggerPlugin.backlog} is given: the trigger's configuration, as the processor would get it. */
export interface BacklogProbeOptions {
  /** The trigger's name (its key under `spec.triggers`). */
  name: string;
  /** The validated trigger configuration, attributes defaulted from the plugin's schema. */
  config: TriggerConfig;
  function: FunctionConfig;
  logger: Logger;
  /** Aborted when the scaler gives up on the probe (its timeout, or shutdown). */
  signal?: AbortSignal;
}

/**
 * What waits for a function whose processor is not running. The scaler wakes the function
 * when `pending > 0`, or shortly before `wakeAt` (a cron trigger's next tick).
 */
export interface Backlog {
  /** Events the source holds for this trigger that nobody has handled: consumer-group lag, queue depth, ... */
  pending: number;
  /** When the trigger must be running to fire on time, for sources that produce events themselves. */
  wakeAt?: Date;
  /** One short line for logs and `nucleon scaler status` (`lag 12 on orders/0-2`). */
  detail?: string;
}

export interface TriggerPlugin extends PluginBase<'trigger'> {
  attributes: AttributeSchema;
  /** Default `numWorkers` when the configuration gives none. */
  defaultWorkers?: number;
  create(options: TriggerCreateOptions): Trigger;
  /**
   * Looks at the source without consuming from it and says what waits there, so the scaler can
   * wake a function at zero (stream wake). Optional: a trigger without it wakes only through
   * the activator (HTTP) or by hand. It must not take, ack or move anything.
   */
  backlog?(options: BacklogProbeOptions): Promise<Backlog>;
}

// ---------------------------------------------------------------------------------------
// Runtimes

export interface RuntimeCreateOptions {
  function: FunctionConfig;
  /** Directory the handler path is relative to. */
  functionDir: string;
  logger: Logger;
}

/** One worker's instance of the user's code. */
export interface RuntimeWorker {
  /**
   * Runs the handler for one event. Returns the handler's result, or a promise of it: a
   * synchronous result may be returned as is, which spares a promise per event.
   */
  handle(event: Event, context: Context): unknown;
  close?(): Promise<void>;
}

export interface Runtime {
  /** Load and check the handler; throw a coded error if it cannot run. */
  start(): Promise<void>;
  /** Create a worker; runs the handler's init hook with the worker's context. */
  createWorker(context: Context): Promise<RuntimeWorker>;
  stop(): Promise<void>;
}

export interface RuntimePlugin extends PluginBase<'runtime'> {
  create(options: RuntimeCreateOptions): Runtime;
}

// ---------------------------------------------------------------------------------------
// Platforms

/** What a platform reports about a deployed function. */
export interface FunctionStatus {
  name: string;
  platform: string;
  /** `scaledToZero`: deployed, no processor running, woken by the scaler on the next event. */
  state: 'ready' | 'deploying' | 'error' | 'stopped' | 'scaledToZero';
  /** Base URL of the function's HTTP trigger, when it has one. */
  url?: string;
  httpPort?: number;
  runtime: string;
  handler: string;
  createdAt: string;
  message?: string;
  /**
   * Every address a trigger of the function listens on (each HTTP trigger, not only the
   * first), as the processor reports them on its admin server's `GET /addresses`.
   */
  addresses?: TriggerAddress[];
  /** How many times the platform restarted the function's processor after it died. */
  restarts?: number;
  /** Platform-specific facts (pid, container id, ...). */
  details?: Record<string, unknown>;
}

/**
 * One listening address of one trigger. The processor's admin server answers
 * `GET /addresses` with `{ "addresses": TriggerAddress[] }`.
 */
export interface TriggerAddress {
  /** The trigger's name in `spec.triggers`. */
  trigger: string;
  /** The trigger's kind, e.g. `http`. */
  kind: string;
  /** Where it listens, e.g. `http://127.0.0.1:8080`. */
  url: string;
}

export interface DeployRequest {
  config: FunctionConfig;
  /** Directory holding the handler code. */
  functionDir: string;
  /** How long to wait for the function to become ready. */
  readinessTimeoutMs?: number;
  /**
   * Called with one short line per step of a long deploy (build commands, start, waiting for
   * ready), so a CLI or dashboard can show progress instead of silence.
   */
  onProgress?: (message: string) => void;
  /**
   * Aborted when the deployer gives up (Ctrl-C in the CLI): the platform stops what it
   * started for this attempt, leaves the previous deployment as it was, and rejects.
   */
  signal?: AbortSignal;
}

/** What `Platform.scale` may be given besides the name and the count. */
export interface ScaleOptions {
  /** One short line per step (stopping, starting, waiting for ready). */
  onProgress?: (message: string) => void;
  /** Aborted when the caller gives up waiting for ready. */
  signal?: AbortSignal;
  /** How long scaling up waits for the function to be ready (default: its readinessTimeoutSeconds). */
  readinessTimeoutMs?: number;
}

/** What `Platform.delete` may be given besides the name. */
export interface DeleteOptions {
  /** One short line per step of a delete that waits (Kubernetes: the resource, then its pods). */
  onProgress?: (message: string) => void;
}

export interface LogsOptions {
  follow?: boolean;
  signal?: AbortSignal;
}

export interface Platform {
  /**
   * Warnings for the fields of `config` this platform accepts but does not act on (for
   * example `spec.resources: not applied by the local platform`), so nothing is ignored silently.
   */
  unappliedFields?(config: FunctionConfig): ConfigProblem[];
  deploy(request: DeployRequest): Promise<FunctionStatus>;
  get(name: string): Promise<FunctionStatus | undefined>;
  /** The configuration the function was deployed with (for `get -o yaml` and `export`), when the platform keeps it. */
  getConfig?(name: string): Promise<FunctionConfig | undefined>;
  list(): Promise<FunctionStatus[]>;
  delete(name: string, options?: DeleteOptions): Promise<void>;
  /**
   * Sets how many processors serve a deployed function. `0` stops them and keeps the function
   * (state `scaledToZero`, its port and configuration kept for the wake); `1` or more starts them
   * and resolves once ready. A platform that runs one processor per function refuses more.
   */
  scale?(name: string, replicas: number, options?: ScaleOptions): Promise<FunctionStatus>;
  /** Log lines of the function's processor, oldest first; with `follow`, until aborted. */
  logs(name: string, options?: LogsOptions): AsyncIterable<string>;
}

export interface PlatformCreateOptions {
  logger?: Logger;
  /** Platform-specific settings (state directory, engine address, ...). */
  settings?: Record<string, unknown>;
}

export interface PlatformPlugin extends PluginBase<'platform'> {
  create(options: PlatformCreateOptions): Platform;
}

export type Plugin = TriggerPlugin | RuntimePlugin | PlatformPlugin;

/** Typed identity helpers so plugin authors get checking without a cast. */
export function defineTrigger(plugin: Omit<TriggerPlugin, 'kind'>): TriggerPlugin {
  return { kind: 'trigger', ...plugin };
}
export function defineRuntime(plugin: Omit<RuntimePlugin, 'kind'>): RuntimePlugin {
  return { kind: 'runtime', ...plugin };
}
export function definePlatform(plugin: Omit<PlatformPlugin, 'kind'>): PlatformPlugin {
  return { kind: 'platform', ...plugin };
}
