import { isOurs, type ProcessIdentity } from './liveness.js';
import { sleep } from '@nucleon/core';

/** How long a processor gets to drain after SIGTERM before SIGKILL. */
export const STOP_DEADLINE_MS = 10_000;

/**
 * Stops a function's supervisor (which passes SIGTERM on to its processor, then exits once
 * the processor drained); if it is still running after `deadlineMs`, SIGKILL to its whole
 * process group (it was spawned detached, so the processor and its runtime wrappers go too).
 * Does nothing when the pid is not that function's process (see {@link isOurs}): a pid
 * reused by another program, or one with another start time, is never signalled.
 * Resolves true when the process is gone.
 */
export async function stopProcessor(identity: ProcessIdentity, ownerDir: string, deadlineMs = STOP_DEADLINE_MS): Promise<boolean> {
  const ours = (): boolean => isOurs(identity, ownerDir);
  if (!ours()) return true;
  const { pid } = identity;
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
