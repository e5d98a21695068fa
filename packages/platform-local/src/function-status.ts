import { dirname } from 'node:path';
import { type FunctionStatus, probeAddresses, probeReady, type TriggerAddress } from '@nucleon/core';
import { clientHost, DEFAULT_HTTP_HOST } from './http-binding.js';
import { isOurProcessor, isOurs } from './liveness.js';
import type { FunctionRecord } from './state-store.js';
import { readSupervisorState, type SupervisorState } from './supervisor-state.js';

/** The platform name reported in every status. */
export const PLATFORM_NAME = 'local';

/**
 * Turns a record into a status: 'stopped' when its supervisor is dead or its pid now belongs
 * to another process, else 'ready' when `/ready` answers 200 within `probeTimeoutMs`, else
 * 'error' (starting, restarting after a crash, or stuck). `restarts` and the last exit come
 * from the supervisor's state; `addresses` from the processor's `GET /addresses`, else the
 * recorded URL.
 */
export async function statusOf(record: FunctionRecord, logFile: string, probeTimeoutMs = 1000): Promise<FunctionStatus> {
  const ownerDir = dirname(logFile);
  if (record.scaledToZero) return zeroStatus(record, logFile);
  const running = isOurs(record, ownerDir);
  const supervisor = running && record.runDir ? readSupervisorState(record.runDir) : undefined;
  const ready = running && (await probeReady(record.adminPort, probeTimeoutMs));
  const state: FunctionStatus['state'] = !running ? 'stopped' : ready ? 'ready' : 'error';
  const processorPid = supervisor?.processorPid !== undefined &&
    isOurProcessor(supervisor.processorPid, record.processorEntry, ownerDir, '/proc', supervisor.processorStartTime) ? supervisor.processorPid : undefined;
  const status: FunctionStatus = {
    name: record.name,
    platform: PLATFORM_NAME,
    state,
    runtime: record.runtime,
    handler: record.handler,
    createdAt: record.createdAt,
    restarts: supervisor?.restarts ?? 0,
    details: {
      // The processor serving now (it changes with each restart); the supervisor is the recorded pid.
      pid: processorPid ?? record.pid,
      supervisorPid: record.pid,
      adminPort: record.adminPort, httpHost: record.httpHost ?? DEFAULT_HTTP_HOST, functionDir: record.functionDir, logFile,
      ...(supervisor?.lastExit ? { lastExit: supervisor.lastExit } : {}),
    },
  };
  setHttpAddress(status, record);
  const addresses = (ready ? await probeAddresses(record.adminPort, probeTimeoutMs) : undefined) ?? recordedAddresses(record, status.url);
  if (addresses) status.addresses = addresses;
  if (state === 'stopped') status.message = `processor (pid ${record.pid}) is not running; see ${logFile}`;
  if (state === 'error') status.message = notReadyMessage(record, supervisor);
  return status;
}

/** A function scaled to zero: nothing to probe; its URL stays (the scaler's activator answers there). */
function zeroStatus(record: FunctionRecord, logFile: string): FunctionStatus {
  const status: FunctionStatus = {
    name: record.name, platform: PLATFORM_NAME, state: 'scaledToZero', runtime: record.runtime, handler: record.handler,
    createdAt: record.createdAt, restarts: 0,
    message: 'scaled to zero: no processor runs; the scaler wakes it on the next event (nucleon scale NAME --replicas 1 by hand)',
    details: { adminPort: record.adminPort, httpHost: record.httpHost ?? DEFAULT_HTTP_HOST, functionDir: record.functionDir, logFile },
  };
  setHttpAddress(status, record);
  if (status.url) status.addresses = recordedAddresses(record, status.url);
  return status;
}

/** The recorded HTTP port and its URL, for a function that has an HTTP trigger. */
function setHttpAddress(status: FunctionStatus, record: FunctionRecord): void {
  if (record.hasHttpTrigger === false) return;
  status.url = `http://${clientHost(record.httpHost ?? DEFAULT_HTTP_HOST)}:${record.httpPort}`;
  status.httpPort = record.httpPort;
}

function notReadyMessage(record: FunctionRecord, supervisor: SupervisorState | undefined): string {
  const exit = supervisor?.lastExit;
  if (supervisor?.state === 'restarting' && exit) {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return `processor ${how}${exit.reason ? ` (${exit.reason})` : ''} at ${exit.at}; restart ${supervisor.restarts} at ${supervisor.nextRestartAt ?? 'soon'}`;
  }
  return `processor (pid ${supervisor?.processorPid ?? record.pid}) is running but not ready`;
}

/** The one address the platform recorded itself: the HTTP trigger it chose the port of. */
function recordedAddresses(record: FunctionRecord, url: string | undefined): TriggerAddress[] | undefined {
  return url === undefined ? undefined : [{ trigger: record.httpTrigger ?? 'default-http', kind: 'http', url }];
}
