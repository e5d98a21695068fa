import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { createError, ErrorCodes, sleep } from '@nucleon/core';
import { isPidAlive } from '@nucleon/platform-local';
import { cliPackageDir } from '../package-paths.js';
import { liveScaler, logFile, scalerDir, type ScalerRecord } from './scaler-files.js';
const START_TIMEOUT_MS = 10_000;

/**
 * Starts `nucleon scaler run --platform <platform>` detached, unless one answers already;
 * resolves with its record once its admin server answers as itself.
 */
export async function ensureScaler(platform: string): Promise<{ record: ScalerRecord; started: boolean }> {
  const running = await liveScaler(platform);
  if (running) return { record: running.record, started: false };
  mkdirSync(scalerDir(platform), { recursive: true, mode: 0o700 });
  const out = openSync(logFile(platform), 'a', 0o600);
  let pid: number | undefined;
  try {
    // The CLI's own binary, as `nucleon scaler run`.
    const child = spawn(process.execPath, [join(cliPackageDir(), 'dist', 'main.js'), 'scaler', 'run', '--platform', platform], { detached: true, stdio: ['ignore', out, out], env: process.env });
    child.unref();
    pid = child.pid;
  } finally {
    closeSync(out);
  }
  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until) {
    const live = await liveScaler(platform);
    if (live && live.record.pid === pid) return { record: live.record, started: true };
    await sleep(50);
  }
  throw createError(ErrorCodes.PLUGIN_FAILED, `the scaler did not start within ${START_TIMEOUT_MS / 1000} s; see ${logFile(platform)}`);
}

/** SIGTERM to the running daemon (the one that answers as itself), then waits for it to go. */
export async function stopScaler(platform: string): Promise<ScalerRecord | undefined> {
  const live = await liveScaler(platform);
  if (!live) return undefined;
  process.kill(live.record.pid, 'SIGTERM');
  for (let i = 0; i < 400; i++) {
    if (!(await liveScaler(platform)) && !isPidAlive(live.record.pid)) return live.record;
    await sleep(50);
  }
  throw createError(ErrorCodes.PLUGIN_FAILED, `the scaler (pid ${live.record.pid}) did not stop within 20 s`);
}
