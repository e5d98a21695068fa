import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** How the processor last ended, as the supervisor saw it. */
export interface ProcessorExit {
  code: number | null;
  signal: string | null;
  /** ISO time of the exit. */
  at: string;
  /** Why, when the supervisor knows more than the exit status (e.g. "memory limit exceeded"). */
  reason?: string;
}

/**
 * What a supervisor writes to `<run>/state.json` whenever its processor changes, for `get`:
 * the live processor, how often it was restarted, and how it last died.
 */
export interface SupervisorState {
  supervisorPid: number;
  /** `starting` until the current processor answers /ready, `restarting` while waiting out the backoff. */
  state: 'starting' | 'ready' | 'restarting';
  processorPid?: number;
  /** Field 22 of the processor's /proc stat, so a reused pid is never taken for it. */
  processorStartTime?: number;
  restarts: number;
  lastExit?: ProcessorExit;
  /** ISO time of the next restart while `restarting`. */
  nextRestartAt?: string;
}

/** The state file of a run folder. */
export function stateFile(runDir: string): string {
  return join(runDir, 'state.json');
}

/** Writes the state atomically (temp + rename): `get` never reads half of it. */
export function writeSupervisorState(runDir: string, state: SupervisorState): void {
  const file = stateFile(runDir);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state)}\n`, { mode: 0o600 });
  renameSync(temp, file);
}

/** The state a supervisor last wrote, or undefined (none yet, or not readable). */
export function readSupervisorState(runDir: string): SupervisorState | undefined {
  try {
    const state = JSON.parse(readFileSync(stateFile(runDir), 'utf8')) as SupervisorState;
    return typeof state.restarts === 'number' ? state : undefined;
  } catch {
    return undefined;
  }
}
