// Test support for the integration tests (not exported): runtimes driving the echo wrapper
// (test-wrapper/echo-wrapper.mjs), contexts with in-memory loggers, and the checks that
// nothing is left behind.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, expect } from 'vitest';
import { Response, validateFunctionConfig, type Context, type NucleonError, type Event, type RuntimeWorker } from '@nucleon/core';
import { createTestEvent, InMemoryLogger, noPlatform } from '@nucleon/core/testing';
import { createWrapperRuntime, type WrapperRuntime } from './wrapper-runtime.js';
import type { WrapperRuntimeSpec } from './wrapper-spec.js';

export const ECHO_WRAPPER = fileURLToPath(new URL('../test-wrapper/echo-wrapper.mjs', import.meta.url));

/** Points os.tmpdir() at a fresh directory, so socket directories left behind can be counted. */
export function privateTmpdir(): { dir: string; leftovers(): string[]; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'nucleon-wrapper-tests-'));
  process.env.TMPDIR = dir;
  return { dir, leftovers: () => readdirSync(dir).filter((name) => name.startsWith('nucleon-wrapper-')), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * For a test file of echo runtimes: a private tmpdir, and after each test every runtime
 * stopped with no wrapper alive and no socket directory left behind.
 */
export function checkNothingLeftBehind(): void {
  const tmp = privateTmpdir();
  afterEach(async () => {
    const pids = await stopAll();
    expect(pids.filter(isAlive)).toEqual([]);
    expect(tmp.leftovers()).toEqual([]);
  });
  afterAll(() => tmp.remove());
}

/** The error `promise` rejects with; a promise that resolves fails the test. */
export const failure = (promise: Promise<unknown>): Promise<NucleonError> =>
  promise.then(() => { throw new Error('expected a rejection'); }, (err: NucleonError) => err);

export interface Harness {
  runtime: WrapperRuntime;
  logger: InMemoryLogger;
  functionDir: string;
  /** Every wrapper pid seen, for the "all dead" check. */
  pids: Set<number>;
  context(workerId?: number): Context;
  worker(workerId?: number): Promise<{ worker: RuntimeWorker; context: Context }>;
}

/** What the echo wrapper's environment switches and the spec may vary. */
export interface EchoOptions {
  env?: () => Record<string, string>;
  spec?: Partial<WrapperRuntimeSpec>;
  runtimeAttributes?: Record<string, unknown>;
}

const harnesses: Harness[] = [];

/** A started wrapper runtime for the echo wrapper; `stopAll()` stops it. */
export async function echoRuntime(options: EchoOptions = {}): Promise<Harness> {
  const functionDir = mkdtempSync(join(tmpdir(), 'fn-'));
  const { config } = validateFunctionConfig({
    metadata: { name: 'echo-fn' },
    spec: {
      runtime: 'echo', handler: 'main:handler', env: [{ name: 'ECHO_TEST_FROM_SPEC', value: 'spec' }],
      triggers: { web: { kind: 'http' } }, runtimeAttributes: options.runtimeAttributes,
    },
  });
  const logger = new InMemoryLogger();
  const spec: WrapperRuntimeSpec = {
    name: 'echo', startTimeoutMs: 5000,
    launch: () => ({ command: process.execPath, args: [ECHO_WRAPPER], env: { ECHO_TEST_FROM_LAUNCH: 'launch', ...options.env?.() } }),
    ...options.spec,
  };
  const runtime = createWrapperRuntime(spec, { function: config, functionDir, logger });
  await runtime.start();
  const pids = new Set<number>();
  const context = (workerId = 0): Context => ({
    logger: logger.child({ worker: workerId }), userData: {}, Response, callback() {}, workerId, functionName: 'echo-fn', triggerName: 'web', platform: noPlatform,
  });
  const harness: Harness = {
    runtime, logger, functionDir, pids, context,
    async worker(workerId = 0) {
      const ctx = context(workerId);
      const worker = await runtime.createWorker(ctx);
      for (const pid of runtime.wrapperPids()) pids.add(pid);
      return { worker, context: ctx };
    },
  };
  harnesses.push(harness);
  return harness;
}

/** Runs one event on `worker`; records the wrapper pid it ran on when the path is /pid. */
export async function run(h: Harness, w: { worker: RuntimeWorker; context: Context }, path: string, overrides: Partial<Omit<Event, 'body'>> & { body?: Buffer | string } = {}): Promise<Response> {
  const response = await (w.worker.handle(createTestEvent({ path, url: path, ...overrides }), w.context) as Promise<Response>);
  for (const pid of h.runtime.wrapperPids()) h.pids.add(pid);
  return response;
}

/** The wrapper pid a worker's events run on now. */
export async function pidOf(h: Harness, w: { worker: RuntimeWorker; context: Context }): Promise<number> {
  const pid = Number((await run(h, w, '/pid')).body);
  h.pids.add(pid);
  return pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Waits until `check` holds, up to `ms`. */
export async function eventually(check: () => boolean, ms = 2000): Promise<boolean> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) return false;
    await sleep(10);
  }
  return true;
}

/** Stops every runtime made so far and removes its function directory; returns the pids seen. */
export async function stopAll(): Promise<number[]> {
  const pids: number[] = [];
  for (const h of harnesses.splice(0)) {
    await h.runtime.stop();
    rmSync(h.functionDir, { recursive: true, force: true });
    pids.push(...h.pids);
  }
  return pids;
}
