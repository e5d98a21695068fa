import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built binary; integration tests exercise exactly what users run. */
export const CLI = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

/** What a finished CLI process left. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node dist/main.js ...args` to completion (killed after `timeoutMs`). */
export function runNucleon(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 45_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the CLI without waiting for it (for `run`); the caller stops it by pid. */
export function startNucleon(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): { child: ChildProcess; output: () => string } {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output };
}

/** Polls `check` every 50 ms until it returns a value, for at most `timeoutMs`. */
export async function waitFor<T>(check: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const value = check();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}

/** Pids of every processor recorded under a NUCLEON_HOME, for cleanup. */
export function recordedPids(home: string): number[] {
  const functions = join(home, 'local', 'functions');
  let names: string[];
  try {
    names = readdirSync(functions);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    try {
      return [(JSON.parse(readFileSync(join(functions, name, 'status.json'), 'utf8')) as { pid: number }).pid];
    } catch {
      return [];
    }
  });
}

/**
 * SIGKILLs a pid the test started if it still runs and, when `expected` is given, its
 * command line still contains it (so a pid reused by another program is left alone).
 */
export function killIfAlive(pid: number | undefined, expected?: string): void {
  if (pid === undefined) return;
  try {
    if (expected !== undefined && !readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(expected)) return;
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** True while `pid` runs a program (a zombie, exited but not yet reaped, has an empty command line). */
export function processRunning(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

/** `docker ARGS...` on the real engine: its stdout, or '' when it fails (clean-up of what may be gone). */
export function dockerQuietly(...args: string[]): string {
  try {
    return execFileSync('docker', args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch {
    return '';
  }
}
