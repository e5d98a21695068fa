import { createError, ErrorCodes, type ErrorCode, type NucleonError } from '@nucleon/core';
import { remoteError } from './event-codec.js';
import { decodeJson, protocolError } from './frame-codec.js';

/** The protocol versions this processor speaks. */
export const SUPPORTED_VERSIONS: readonly number[] = [1];

/** What a wrapper says about itself in HELLO. */
export interface WrapperHello {
  versions: number[];
  runtime: string | undefined;
  runtimeVersion: string | undefined;
  pid: number | undefined;
  /** How many events the wrapper runs at once (at least 1). */
  maxInFlight: number;
  /** True when the wrapper takes EVENT_BATCH frames (docs/protocol.md, "Batches"). */
  batching: boolean;
}

/** The WELCOME payload. */
export interface WrapperWelcome {
  version: number;
  functionName: string;
  handler: string;
  workerId: number;
  eventTimeoutMs: number;
}

/** Reads HELLO; throws WRAPPER_PROTOCOL when `versions` is missing or `maxInFlight` is not a positive integer. */
export function parseHello(payload: Buffer): WrapperHello {
  const hello = decodeJson(payload);
  const { versions, maxInFlight } = hello;
  if (!Array.isArray(versions) || !versions.every((v) => Number.isInteger(v))) {
    throw protocolError(`HELLO "versions" must be a list of integers, got ${JSON.stringify(versions)}`, payload);
  }
  if (maxInFlight !== undefined && (!Number.isInteger(maxInFlight) || (maxInFlight as number) < 1)) {
    throw protocolError(`HELLO "maxInFlight" must be a positive integer, got ${JSON.stringify(maxInFlight)}`, payload);
  }
  return {
    versions: versions as number[],
    runtime: typeof hello.runtime === 'string' ? hello.runtime : undefined,
    runtimeVersion: typeof hello.runtimeVersion === 'string' ? hello.runtimeVersion : undefined,
    pid: typeof hello.pid === 'number' ? hello.pid : undefined,
    maxInFlight: (maxInFlight as number | undefined) ?? 1,
    batching: hello.batching === true,
  };
}

/** The highest version both sides speak, or undefined. */
export function chooseVersion(theirs: readonly number[]): number | undefined {
  const common = theirs.filter((v) => SUPPORTED_VERSIONS.includes(v));
  return common.length > 0 ? Math.max(...common) : undefined;
}

/** The reason given in TERMINATE and in the start error when no version is common. */
export function noCommonVersion(name: string, theirs: readonly number[]): string {
  return `no common protocol version: wrapper ${name} speaks [${theirs.join(', ')}], this processor speaks [${SUPPORTED_VERSIONS.join(', ')}]`;
}

const FATAL_CODES: ReadonlyMap<string, ErrorCode> = new Map<string, ErrorCode>([
  ['handler-load', ErrorCodes.HANDLER_LOAD],
  ['handler-not-found', ErrorCodes.HANDLER_NOT_FOUND],
  ['init', ErrorCodes.INIT_CONTEXT_FAILED],
]);

/**
 * The start error for a FATAL frame: the wrapper's own message (it names the file, the line,
 * the exception), coded by its `kind`; the wrapper's stack rides along as `cause`.
 */
export function fatalError(payload: Buffer): NucleonError {
  const fatal = decodeJson(payload);
  const message = typeof fatal.message === 'string' && fatal.message !== '' ? fatal.message : 'the wrapper reported a fatal error without a message';
  const kind = typeof fatal.kind === 'string' ? fatal.kind : undefined;
  const stack = typeof fatal.stack === 'string' ? fatal.stack : undefined;
  const code = (kind !== undefined ? FATAL_CODES.get(kind) : undefined) ?? ErrorCodes.WRAPPER_START;
  return createError(code, message, { cause: remoteError(kind ?? 'fatal', message, stack), details: { kind, stack } });
}
