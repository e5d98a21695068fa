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
 * True when `pid` is alive and its command line names `processorEntry` and a `--config` file
 * inside `ownerDir` (the function's own state folder), so neither a pid the OS reused for
 * another program nor a pid planted in a status.json is ever taken for this function's
 * processor. Without /proc (not Linux) only liveness can be checked.
 */
export function isOurProcessor(pid: number, processorEntry: string, ownerDir: string, procRoot = '/proc'): boolean {
  if (!isPidAlive(pid)) return false;
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
