import { isOurProcessor } from './liveness.js';
import { sleep } from '@nucleon/core';

/** How long a processor gets to drain after SIGTERM before SIGKILL. */
export const STOP_DEADLINE_MS = 10_000;

/**
 * Stops a processor we started: SIGTERM to the processor (it drains), then, if it is still
 * running after `deadlineMs`, SIGKILL to its whole process group (it was spawned detached,
 * so any runtime wrappers it started go too). Does nothing when the pid is not the processor of
 * the function whose state folder is `ownerDir` (see {@link isOurProcessor}).
 * Resolves true when the process is gone.
 */
export async function stopProcessor(pid: number, processorEntry: string, ownerDir: string, deadlineMs = STOP_DEADLINE_MS): Promise<boolean> {
  const ours = (): boolean => isOurProcessor(pid, processorEntry, ownerDir);
  if (!ours()) return true;
  signal(pid, 'SIGTERM');
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    if (!ours()) return true;
    await sleep(50);
  }
  signal(-pid, 'SIGKILL');
  signal(pid, 'SIGKILL');
  for (let i = 0; i < 40 && ours(); i++) await sleep(50);
  return !ours();
}

/** Sends a signal, ignoring "no such process" (it may have exited on its own). */
export function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}
