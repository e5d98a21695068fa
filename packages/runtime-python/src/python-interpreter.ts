import { execFile } from 'node:child_process';
import { isAbsolute } from 'node:path';
import { createError, ErrorCodes } from '@nucleon/core';

/** The oldest Python the wrapper supports. */
export const MIN_PYTHON: readonly [number, number] = [3, 9];

/** An interpreter that answered, and the version it reported. */
export interface PythonInterpreter {
  command: string;
  version: string;
  /**
   * The interpreter binary itself (`sys.executable`), when it said. Launching it instead of
   * `command` skips a launcher in between: a pyenv shim costs 150-300 ms per start.
   */
  executable?: string;
}

// Run with -S: the probe needs only `sys`, and site-packages' .pth files can cost more than
// the interpreter's own start. The second line is absent from very old or fake interpreters.
const PROBE = 'import sys; print("%d.%d.%d" % sys.version_info[:3]); print(sys.executable)';
const PROBE_TIMEOUT_MS = 15_000;

/**
 * The interpreters to try, best first: `NUCLEON_PYTHON` alone when set (from the function's
 * `spec.env`, else the processor's environment); otherwise `python3.X` for a runtime of
 * `python:3.X`, then `python3`.
 */
export function interpreterCandidates(runtime: string, override: string | undefined): string[] {
  if (override) return [override];
  const wanted = /^python:(\d+\.\d+)/.exec(runtime)?.[1];
  return wanted ? [`python${wanted}`, 'python3'] : ['python3'];
}

/** What running an interpreter to read its version gave. */
export type ProbeResult = { version: string; executable?: string } | { missing: true } | { failed: string };

/**
 * Runs `command` to read its version and executable. `cwd` should be where the wrapper will
 * run, so a launcher that picks a version by folder (pyenv's `.python-version`) picks the same.
 */
export function probeVersion(command: string, cwd?: string): Promise<ProbeResult> {
  return new Promise((resolve) => {
    execFile(command, ['-S', '-c', PROBE], { timeout: PROBE_TIMEOUT_MS, encoding: 'utf8', cwd }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return resolve({ missing: true });
      if (error) return resolve({ failed: (stderr.trim() || error.message).split('\n')[0]!.slice(0, 500) });
      const [version = '', executable] = stdout.trim().split('\n').map((line) => line.trim());
      resolve(executable && isAbsolute(executable) ? { version, executable } : { version });
    });
  });
}

function tooOld(version: string): boolean {
  const [major, minor] = version.split('.').map(Number);
  if (!Number.isInteger(major) || !Number.isInteger(minor)) return true;
  return major! < MIN_PYTHON[0] || (major === MIN_PYTHON[0] && minor! < MIN_PYTHON[1]);
}

/**
 * The first candidate that runs and is Python >= 3.9. Throws NUCLEON_ERR_WRAPPER_START
 * saying what each candidate gave and what to do.
 */
export async function findInterpreter(candidates: readonly string[], cwd?: string): Promise<PythonInterpreter> {
  const tried: string[] = [];
  for (const command of candidates) {
    const result = await probeVersion(command, cwd);
    if ('version' in result && !tooOld(result.version)) return { command, ...result };
    tried.push(`"${command}" ${'missing' in result ? 'is not installed'
      : 'failed' in result ? `failed: ${result.failed}` : `is Python ${result.version}`}`);
  }
  const min = MIN_PYTHON.join('.');
  throw createError(ErrorCodes.WRAPPER_START,
    `no usable Python interpreter: the Nucleon Python runtime needs Python >= ${min}; ${tried.join('; ')}. ` +
    `Install Python >= ${min} or set NUCLEON_PYTHON to an interpreter's path.`, { details: { python: candidates.join(', ') } });
}
