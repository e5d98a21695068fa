import { readFileSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/** True when a process with this pid exists and we may signal it (zombies count as alive). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The start time of `pid` (field 22 of `/proc/<pid>/stat`, clock ticks since boot), or
 * undefined without /proc or when the process is gone. Together with the pid it names one
 * process for good: a pid the OS hands to another program later has another start time.
 */
export function processStartTime(pid: number, procRoot = '/proc'): number | undefined {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when `pid` is alive and its command line names `processorEntry` and a `--config` file
 * inside `ownerDir` (the function's own state folder), so neither a pid the OS reused for
 * another program nor a pid planted in a status.json is ever taken for this function's
 * processor; and, when `startTime` was recorded at spawn, the process started then (a reused
 * pid running a look-alike command line is still not ours). Without /proc (not Linux) only
 * liveness can be checked.
 */
export function isOurProcessor(pid: number, processorEntry: string, ownerDir: string, procRoot = '/proc', startTime?: number): boolean {
  if (!isPidAlive(pid)) return false;
  if (startTime !== undefined && hasProc(procRoot) && processStartTime(pid, procRoot) !== startTime) return false;
  let cmdline: string;
  try {
    cmdline = readFileSync(`${procRoot}/${pid}/cmdline`, 'utf8');
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' && !hasProc(procRoot);
  }
  // A zombie has an empty command line: it has exited and only waits to be reaped.
  const args = cmdline.split('\0');
  const config = args[args.indexOf('--config') + 1];
  return args.includes(processorEntry) && args.includes('--config') && config !== undefined &&
    resolve(config).startsWith(resolve(ownerDir) + sep);
}

function hasProc(procRoot: string): boolean {
  try {
    readFileSync(`${procRoot}/self/cmdline`);
    return true;
  } catch {
    return false;
  }
}

/** One recorded process of a function: pid, the processor entry on its command line, its start time. */
export interface ProcessIdentity {
  pid: number;
  processorEntry: string;
  /** Absent in records of older versions: then only the command line is checked. */
  startTime?: number;
}

/** {@link isOurProcessor} for a recorded identity. */
export function isOurs(identity: ProcessIdentity, ownerDir: string): boolean {
  return isOurProcessor(identity.pid, identity.processorEntry, ownerDir, '/proc', identity.startTime);
}
