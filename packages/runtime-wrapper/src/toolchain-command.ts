import { spawn } from 'node:child_process';

/** What one compiler or toolchain command (`go build`, `dotnet build`, `mcs`, ...) did. */
export interface ToolchainCommandResult {
  code: number | null;
  /** stdout and stderr interleaved, the last 64 KiB of it. */
  output: string;
  timedOut: boolean;
  /** Set when the command could not be started at all (ENOENT: not on PATH). */
  spawnError?: NodeJS.ErrnoException;
}

export interface ToolchainCommandOptions {
  cwd: string;
  /** The command's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  timeoutMs: number;
}

const OUTPUT_LIMIT = 64 * 1024;

/**
 * Runs `command args` in `cwd`, collecting stdout and stderr (the last 64 KiB). On timeout the
 * whole process group is killed: toolchains (`go build`, `dotnet build`) start compilers,
 * linkers and build servers of their own, which must not outlive it. A command that cannot be
 * started resolves with `spawnError` set rather than rejecting.
 */
export function runToolchainCommand(command: string, args: string[], options: ToolchainCommandOptions): Promise<ToolchainCommandResult> {
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
