import type { KubeConfig } from '@kubernetes/client-node';
import { ErrorCodes, isNucleonError, type Logger } from '@nucleon/core';
import { FUNCTION_NAME_LABEL, MANAGED_BY_LABEL, MANAGED_BY } from '../objects/resource.js';
import { ApiCallCounter, countingClient, type ApiCallStats } from './api-calls.js';
import { defaultFunctionObjects, type FunctionObjects } from './function-objects.js';
import type { InformerFactory, ObjectInformer } from './informer.js';
import { jsonLogger } from './json-logger.js';
import type { KubeClient, KubeObject } from './kube-client.js';
import { CONFIG_MAPS, DEPLOYMENTS, FUNCTIONS, HPAS, INGRESSES, PODS, SERVICES, type KubeResource } from './kube-resources.js';
import { holderIdentity, LeaderElector, type LeaderElectionOptions } from './leader-election.js';
import { listWatchInformers } from './list-watch-informers.js';
import { DEFAULT_METRICS_PORT, startMetricsServer } from './metrics-server.js';
import { RecentWrites } from './recent-writes.js';
import { keyOf, Reconciler, type FunctionObject, type ReconcilerCaches } from './reconciler.js';
import { restKubeClient } from './rest-client.js';
import { guardedClient } from './write-guard.js';
import { WorkQueue } from './work-queue.js';

/** The namespace holding the Lease when the controller watches every namespace. */
export const DEFAULT_CONTROLLER_NAMESPACE = 'nucleon';
export const DEFAULT_RESYNC_MS = 5 * 60_000;

export interface ControllerOptions {
  /** Where the API server is and how to authenticate; not needed when `client` and `informers` are given. */
  kubeConfig?: KubeConfig;
  /** The namespace watched, or `'*'` for all (the Lease then lives in `nucleon`). */
  namespace: string;
  /** Lease holder identity; default `<hostname>-<pid>-<random>`. */
  identity?: string;
  /** How often every function is reconciled even without a change (default 5 min). */
  resyncMs?: number;
  /** Functions reconciled at once (default 2). */
  concurrency?: number;
  /** Take the Lease before writing anything (default true; false for tests and a single replica). */
  leaderElect?: boolean;
  /** Lease timings (seconds and milliseconds), for tests. */
  leaderElection?: Pick<LeaderElectionOptions, 'leaseDurationSeconds' | 'renewPeriodMs' | 'renewDeadlineMs' | 'retryPeriodMs'>;
  /** `/metrics` and `/healthz` on 127.0.0.1 (default 8094; 0: any free port; null: none). */
  metricsPort?: number | null;
  logger?: Logger;
  /** Aborting it stops the controller gracefully (the Lease is released). */
  signal?: AbortSignal;
  /** The pure decisions; default `src/objects/`. */
  objects?: FunctionObjects;
  /** The API client; default a REST client over `kubeConfig`. */
  client?: KubeClient;
  /** The informers; default list+watch over `kubeConfig`. */
  informers?: InformerFactory;
}

/** Why a controller stopped: asked to, or its Lease could not be renewed. */
export type ControllerExit = 'stopped' | 'lost-lease';

export interface ControllerHandle {
  readonly identity: string;
  /** The port `/metrics` and `/healthz` listen on, when they do. */
  readonly metricsPort?: number;
  /** API calls so far, by verb and resource. */
  stats(): ApiCallStats;
  isLeading(): boolean;
  /** Settles when the controller has stopped. */
  readonly done: Promise<ControllerExit>;
  /** Stops workers and informers, releases the Lease, closes the metrics server. */
  stop(): Promise<void>;
}

const OWNED: Array<[keyof Omit<ReconcilerCaches, 'functions'>, KubeResource]> = [
  ['configMaps', CONFIG_MAPS], ['deployments', DEPLOYMENTS], ['services', SERVICES],
  ['hpas', HPAS], ['ingresses', INGRESSES], ['pods', PODS],
];

/**
 * Runs the NuclioFunction controller: (with leader election) waits for the Lease, then
 * list-watches NuclioFunctions and the objects it owns, and reconciles each function whenever
 * it or one of its objects changes, and every `resyncMs`. Resolves once started (not leading:
 * `done` settles when it stops).
 */
export async function runController(options: ControllerOptions): Promise<ControllerHandle> {
  const logger = options.logger ?? jsonLogger({ component: 'nucleon-controller' });
  const identity = options.identity ?? holderIdentity();
  const leaderElect = options.leaderElect ?? true;
  const counter = new ApiCallCounter();
  const reconciles = { success: 0, error: 0 };
  if (!options.client && !options.kubeConfig) throw new Error('runController needs kubeConfig (or client and informers)');
  const client = countingClient(options.client ?? restKubeClient(options.kubeConfig!), counter);
  const informers = options.informers ?? listWatchInformers(options.kubeConfig!, client, counter, logger);

  let working = false;
  const elector = leaderElect
    ? new LeaderElector({ client, namespace: options.namespace === '*' ? DEFAULT_CONTROLLER_NAMESPACE : options.namespace, identity, logger, ...options.leaderElection })
    : undefined;
  const writer = guardedClient(client, () => working && (elector?.isLeading() ?? true));

  let queue: WorkQueue | undefined;
  let started: ObjectInformer[] = [];
  let resyncTimer: NodeJS.Timeout | undefined;

  async function startWorking(): Promise<void> {
    working = true;
    const recentWrites = new RecentWrites();
    const functions = informers.informer<FunctionObject>(FUNCTIONS, options.namespace);
    const caches: ReconcilerCaches = { functions };
    const owned = `${MANAGED_BY_LABEL}=${MANAGED_BY}`;
    for (const [field, resource] of OWNED) caches[field] = informers.informer(resource, options.namespace, owned);
    const workQueue = new WorkQueue({ concurrency: options.concurrency ?? 2 });
    queue = workQueue;
    const reconciler = new Reconciler({ client: writer, caches, objects: options.objects ?? defaultFunctionObjects, recentWrites, logger });

    functions.on((_event, fn) => {
      recentWrites.caughtUp(FUNCTIONS, fn);
      workQueue.add(keyOf(fn.metadata!.namespace!, fn.metadata!.name!));
    });
    for (const [field, resource] of OWNED) {
      caches[field]!.on((_event, object: KubeObject) => {
        recentWrites.caughtUp(resource, object);
        const owner = object.metadata?.labels?.[FUNCTION_NAME_LABEL];
        if (owner && object.metadata?.namespace) workQueue.add(keyOf(object.metadata.namespace, owner));
      });
    }
    started = [functions, ...OWNED.map(([field]) => caches[field]!)];
    await Promise.all(started.map((informer) => informer.start()));
    if (!working) return;

    const lastError = new Map<string, string>();
    workQueue.start(async (key) => {
      try {
        await reconciler.reconcile(key);
        workQueue.forget(key);
        lastError.delete(key);
        reconciles.success++;
      } catch (err) {
        if (isNucleonError(err, ErrorCodes.NOT_LEADER)) return;
        reconciles.error++;
        const message = (err as Error).message ?? String(err);
        // Once per distinct message: a function failing the same way on every retry logs once.
        if (lastError.get(key) !== message) logger.errorWith(`reconcile ${key} failed; retrying with backoff`, { error: message });
        lastError.set(key, message);
        workQueue.retry(key);
      }
    });
    const resync = () => {
      for (const fn of functions.list()) workQueue.add(keyOf(fn.metadata!.namespace!, fn.metadata!.name!));
    };
    resync();
    resyncTimer = setInterval(resync, options.resyncMs ?? DEFAULT_RESYNC_MS);
    resyncTimer.unref();
    logger.info(`controller working: namespace ${options.namespace}, ${started.length} informers synced`);
  }

  async function stopWorking(): Promise<void> {
    working = false;
    clearInterval(resyncTimer);
    await queue?.shutDown();
    await Promise.all(started.map((informer) => informer.stop()));
    started = [];
  }

  const metrics = options.metricsPort === null ? undefined : await startMetricsServer(options.metricsPort ?? DEFAULT_METRICS_PORT, {
    healthy: () => !lost,
    metrics: () => [
      counter.prometheus(),
      '# HELP nucleon_controller_leader 1 while this controller holds the Lease (or runs without leader election).',
      '# TYPE nucleon_controller_leader gauge',
      `nucleon_controller_leader ${isLeading() ? 1 : 0}`,
      '# HELP nucleon_controller_reconciles_total Reconciles by result.',
      '# TYPE nucleon_controller_reconciles_total counter',
      `nucleon_controller_reconciles_total{result="success"} ${reconciles.success}`,
      `nucleon_controller_reconciles_total{result="error"} ${reconciles.error}`,
      '# HELP nucleon_controller_queue_length Functions waiting to be reconciled.',
      '# TYPE nucleon_controller_queue_length gauge',
      `nucleon_controller_queue_length ${queue?.length ?? 0}`,
      '',
    ].join('\n'),
  });

  let lost = false;
  let stopping: Promise<void> | undefined;
  let settle!: (exit: ControllerExit) => void;
  const done = new Promise<ControllerExit>((resolve) => { settle = resolve; });
  const isLeading = () => working && (elector?.isLeading() ?? true);

  const stop = () => stopping ??= (async () => {
    await stopWorking();
    await elector?.stop();
    await metrics?.close();
    settle(lost ? 'lost-lease' : 'stopped');
  })();

  if (elector) {
    void elector.run({
      onStartedLeading: () => startWorking().catch((err) => {
        // Stopped while the first lists were in flight: not a failure.
        if (working) logger.errorWith('controller failed to start its informers', { error: (err as Error).message });
      }),
      onStoppedLeading: () => {
        lost = true;
        working = false;
      },
    }).then((outcome) => {
      if (outcome === 'lost') void stop();
    });
  } else {
    await startWorking();
  }

  if (options.signal) {
    if (options.signal.aborted) void stop();
    else options.signal.addEventListener('abort', () => void stop(), { once: true });
  }

  return { identity, metricsPort: metrics?.port, stats: () => counter.stats(), isLeading, done, stop };
}
