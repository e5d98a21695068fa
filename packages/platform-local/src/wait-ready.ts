import type { ChildProcess } from 'node:child_process';
import { probeReady, sleep } from '@nucleon/core';

/** How a readiness wait ended. */
export type ReadyOutcome =
  | { kind: 'ready' }
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'spawn-error'; error: Error }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

/** How often a long readiness wait reports that it is still waiting. */
const STILL_WAITING_EVERY_MS = 5_000;

/**
 * Polls `GET /ready` every `intervalMs` until 200, the child exits, or `timeoutMs` passes;
 * `signal` aborts (the deployer gave up); calls `stillWaiting(elapsedSeconds)` about every 5 s meanwhile.
 */
export async function waitReady(
  child: ChildProcess, adminPort: number, timeoutMs: number,
  stillWaiting: (seconds: number) => void = () => undefined, intervalMs = 50, signal?: AbortSignal,
): Promise<ReadyOutcome> {
  let ended: ReadyOutcome | undefined;
  const onExit = (code: number | null, signal: NodeJS.Signals | null): void => {
    ended ??= { kind: 'exited', code, signal };
  };
  const onError = (error: Error): void => {
    ended ??= { kind: 'spawn-error', error };
  };
  child.once('exit', onExit);
  child.once('error', onError);
  try {
    const started = Date.now();
    const until = started + timeoutMs;
    let nextReport = started + STILL_WAITING_EVERY_MS;
    while (Date.now() < until) {
      if (ended) return ended;
      if (signal?.aborted) return { kind: 'aborted' };
      if (Date.now() >= nextReport) {
        stillWaiting(Math.round((Date.now() - started) / 1000));
        nextReport += STILL_WAITING_EVERY_MS;
      }
      if (await probeReady(adminPort, Math.min(1000, Math.max(50, until - Date.now())))) return { kind: 'ready' };
      if (ended) return ended;
      await sleep(intervalMs, signal);
    }
    return ended ?? { kind: 'timeout' };
  } finally {
    child.off('exit', onExit);
    child.off('error', onError);
  }
}

/** Words for a failed outcome, for the DEPLOY_FAILED message. */
export function describeOutcome(outcome: ReadyOutcome, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'exited':
      return outcome.signal ? `the processor was killed by ${outcome.signal}` : `the processor exited with code ${outcome.code}`;
    case 'spawn-error':
      return `the processor could not be started: ${outcome.error.message}`;
    case 'aborted':
      return 'the deploy was interrupted';
    case 'timeout':
      return `the processor was not ready within ${timeoutMs} ms`;
    default:
      return 'the processor is ready';
  }
}
