import { ErrorCodes, isNucleonError } from '@nucleon/core';

export interface ErrorReply {
  status: number;
  body: string;
}

const STATUS_BY_CODE: Record<string, number> = {
  [ErrorCodes.NO_WORKER_AVAILABLE]: 503,
  [ErrorCodes.SHUTTING_DOWN]: 503,
  [ErrorCodes.EVENT_TIMEOUT]: 504,
  [ErrorCodes.HANDLER_FAILED]: 500,
  [ErrorCodes.INVALID_RESPONSE]: 500,
  [ErrorCodes.BATCH_RESPONSE_MISSING]: 500,
  [ErrorCodes.RESPONSE_TOO_LARGE]: 500,
  [ErrorCodes.OVERLOADED]: 503,
};

/** Codes whose cause is the function's own shape, so saying what it is helps and leaks nothing. */
const MESSAGE_BY_CODE: Record<string, string> = {
  [ErrorCodes.BATCH_RESPONSE_MISSING]: 'the batch handler returned no response for this event (each response needs its event_id)',
  [ErrorCodes.RESPONSE_TOO_LARGE]: "the function's response passed its size limit (maxResponseSize); it was not sent",
};

const PUBLIC_MESSAGE: Record<number, string> = {
  500: 'the function failed to handle the request',
  503: 'the function is busy or shutting down; retry later',
  504: 'the function did not answer within its eventTimeout',
};

/**
 * Maps a pool failure to a status and a JSON body. The body names the error code and the
 * event id (to find the full error in the processor's log) but never a message or stack
 * from the handler: those may carry secrets.
 */
export function errorReply(err: unknown, eventId: string): ErrorReply {
  const code = isNucleonError(err) ? err.code : ErrorCodes.HANDLER_FAILED;
  const status = STATUS_BY_CODE[code] ?? 500;
  const body = JSON.stringify({ error: MESSAGE_BY_CODE[code] ?? PUBLIC_MESSAGE[status] ?? 'request failed', code, eventId });
  return { status, body };
}
