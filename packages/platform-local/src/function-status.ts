import { dirname } from 'node:path';
import { type FunctionStatus, probeReady } from '@nucleon/core';
import { clientHost, DEFAULT_HTTP_HOST } from './http-binding.js';
import { isOurProcessor } from './liveness.js';
import type { FunctionRecord } from './state-store.js';

/** The platform name reported in every status. */
export const PLATFORM_NAME = 'local';

/**
 * Turns a record into a status: 'stopped' when its pid is dead or now belongs to another
 * program, else 'ready' when `/ready` answers 200 within `probeTimeoutMs`, else 'error'.
 */
export async function statusOf(record: FunctionRecord, logFile: string, probeTimeoutMs = 1000): Promise<FunctionStatus> {
  const running = isOurProcessor(record.pid, record.processorEntry, dirname(logFile));
  const ready = running && (await probeReady(record.adminPort, probeTimeoutMs));
  const state: FunctionStatus['state'] = !running ? 'stopped' : ready ? 'ready' : 'error';
  const status: FunctionStatus = {
    name: record.name,
    platform: PLATFORM_NAME,
    state,
    runtime: record.runtime,
    handler: record.handler,
    createdAt: record.createdAt,
    details: { pid: record.pid, adminPort: record.adminPort, functionDir: record.functionDir, logFile },
  };
  if (record.hasHttpTrigger !== false) {
    status.url = `http://${clientHost(record.httpHost ?? DEFAULT_HTTP_HOST)}:${record.httpPort}`;
    status.httpPort = record.httpPort;
  }
  if (state === 'stopped') status.message = `processor (pid ${record.pid}) is not running; see ${logFile}`;
  if (state === 'error') status.message = `processor (pid ${record.pid}) is running but not ready`;
  return status;
}
