import type { ContainerInspectInfo } from 'dockerode';
import type { ContainerHandle } from './docker-client.js';
import { probeReady, sleep } from '@nucleon/core';

/** How a readiness wait ended. */
export type ReadyOutcome =
  | { kind: 'ready' }
  | { kind: 'exited'; exitCode: number; detail: string }
  | { kind: 'timeout' }
  | { kind: 'aborted' };

/** How often a long readiness wait reports that it is still waiting. */
const STILL_WAITING_EVERY_MS = 5_000;

/**
 * Polls the admin `/ready` on 127.0.0.1 until it answers 200, the container stops, or
 * `timeoutMs` passes. A restart counts as a stop: under a restart policy a crashing processor
 * never shows `exited` for long, but its restart count gives it away. Calls `stillWaiting`
 * about every 5 s meanwhile. Ends with `aborted` as soon as `signal` aborts.
 */
export async function waitReady(
  container: ContainerHandle, adminPort: number, timeoutMs: number,
  stillWaiting: (seconds: number) => void = () => undefined, intervalMs = 100, signal?: AbortSignal,
): Promise<ReadyOutcome> {
  const started = Date.now();
  const until = started + timeoutMs;
  let nextReport = started + STILL_WAITING_EVERY_MS;
  for (;;) {
    if (signal?.aborted) return { kind: 'aborted' };
    if (Date.now() >= nextReport) {
      stillWaiting(Math.round((Date.now() - started) / 1000));
      nextReport += STILL_WAITING_EVERY_MS;
    }
    const ended = stoppedOutcome(await container.inspect());
    if (ended) return ended;
    if (await probeReady(adminPort, Math.min(1000, Math.max(50, until - Date.now())))) return { kind: 'ready' };
    if (Date.now() >= until) {
      // One last look, so an exit during the final probe is reported as the exit it was.
      return stoppedOutcome(await container.inspect()) ?? { kind: 'timeout' };
    }
    await sleep(intervalMs);
  }
}

/** The outcome when the container is no longer running (or has restarted), else undefined. */
function stoppedOutcome(info: ContainerInspectInfo): ReadyOutcome | undefined {
  const { State: state, RestartCount: restarts } = info;
  if (state.Running && !state.Restarting && !(restarts > 0)) return undefined;
  if (state.Status === 'created') return undefined;
  const detail = state.OOMKilled ? ' (killed: out of memory)' : state.Error ? ` (${state.Error})` : '';
  return { kind: 'exited', exitCode: state.ExitCode, detail };
}

/** Words for a failed outcome, for the DEPLOY_FAILED message. */
export function describeOutcome(outcome: ReadyOutcome, timeoutMs: number): string {
  switch (outcome.kind) {
    case 'exited':
      return `the container exited with code ${outcome.exitCode}${outcome.detail}`;
    case 'timeout':
      return `the processor was not ready within ${timeoutMs} ms`;
    case 'aborted':
      return 'the caller gave up waiting for ready';
    default:
      return 'the processor is ready';
  }
}
