import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { readFile, mkdir, writeFile, rm } from 'node:fs/promises';
import { resolveStateDir } from '@nucleon/platform-local';

/** What a running scaler daemon records about itself: `<nucleon home>/scaler/<platform>/scaler.json`. */
export interface ScalerRecord {
  pid: number;
  /** Its admin server on 127.0.0.1: /metrics, /healthz, /status. */
  port: number;
  platform: string;
  startedAt: string;
}

/** The daemon's folder for one platform, beside the local platform's state (`$NUCLEON_HOME`). */
export function scalerDir(platform: string, env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(resolveStateDir(env, homedir())), 'scaler', platform);
}

export const recordFile = (platform: string): string => join(scalerDir(platform), 'scaler.json');
export const logFile = (platform: string): string => join(scalerDir(platform), 'scaler.log');

export async function readRecord(platform: string): Promise<ScalerRecord | undefined> {
  return readFile(recordFile(platform), 'utf8').then((text) => JSON.parse(text) as ScalerRecord).catch(() => undefined);
}

export async function writeRecord(record: ScalerRecord): Promise<void> {
  await mkdir(scalerDir(record.platform), { recursive: true, mode: 0o700 });
  await writeFile(recordFile(record.platform), `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** Removes the record, only if it is still this process's (a newer daemon may have replaced it). */
export async function removeRecord(platform: string, pid: number): Promise<void> {
  if ((await readRecord(platform))?.pid === pid) await rm(recordFile(platform), { force: true });
}

/** The daemon's `/status`, when the recorded one answers it as itself; undefined when none runs. */
export async function liveScaler(platform: string): Promise<{ record: ScalerRecord; status: ScalerStatusBody } | undefined> {
  const record = await readRecord(platform);
  if (!record) return undefined;
  try {
    const res = await fetch(`http://127.0.0.1:${record.port}/status`, { signal: AbortSignal.timeout(2000) });
    const status = (await res.json()) as ScalerStatusBody;
    return status.pid === record.pid ? { record, status } : undefined;
  } catch {
    return undefined;
  }
}

export interface ScalerStatusBody {
  pid: number;
  platform?: string;
  functions: Array<{ name: string; policy: boolean; holding: boolean; buffered: number; waking: boolean; watchedMs: number }>;
}
