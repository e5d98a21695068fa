import { spawn } from 'node:child_process';

/** What one compiler or toolchain command did. */
export interface CommandResult {
  code: number | null;
  /** stdout and stderr interleaved, the last 64 KiB of it. */
  output: string;
  timedOut: boolean;
  /** Set when the command could not be started at all (ENOENT: not on PATH). */
  spawnError?: NodeJS.ErrnoException;
}

const OUTPUT_LIMIT = 64 * 1024;

/**
 * Runs `command args` in `cwd`; on timeout the whole process group is killed (`dotnet build`
 * starts an MSBuild node and a compiler server of its own, which must not outlive it).
 */
export function runCommand(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    let timedOut = false;
    const append = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.length > OUTPUT_LIMIT * 2) output = output.slice(-OUTPUT_LIMIT);
    };
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }, options.timeoutMs);
    child.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve({ code: null, output, timedOut, spawnError: error });
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output: output.slice(-OUTPUT_LIMIT), timedOut });
    });
  });
}
