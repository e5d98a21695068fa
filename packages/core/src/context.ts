import type { Logger } from './logger.js';
import type { Response, ResponseHeaders } from './response.js';

/** What a handler may return: a string, bytes, a JSON-able value, or a Response. */
export type HandlerResult = unknown;

/**
 * The per-worker context handed to `initContext(context)` and `handler(context, event)`.
 * One context lives as long as its worker, so `userData` carries state between events.
 */
export interface Context {
  logger: Logger;
  /** Free-form per-worker state, set up in `initContext` (Nuclio: `context.userData`). */
  userData: Record<string, unknown>;
  /** The Response class, so handlers can build one without importing anything. */
  Response: typeof Response;
  /** Nuclio's callback style: a handler may call this instead of returning a value. */
  callback(result?: HandlerResult): void;
  /** Index of the worker within its trigger's pool (0-based). */
  workerId: number;
  functionName: string;
  /** The trigger this worker serves. */
  triggerName: string;
  /** What the platform the function runs on offers handlers (Nuclio: `context.platform`). */
  platform: ContextPlatform;
}

/** The request `callFunction` sends to the callee's HTTP trigger; every field is optional. */
export interface CallFunctionEvent {
  /** Bytes or text as is; any other value is sent as JSON. */
  body?: unknown;
  /** Default `POST`. */
  method?: string;
  /** Default `/`. */
  path?: string;
  headers?: Record<string, string | string[]>;
  /** Default: `application/json` for a JSON body, else `text/plain` (Nuclio's Python SDK does the same). */
  contentType?: string;
}

/** Options of one `callFunction`. */
export interface CallFunctionOptions {
  /** How long to wait for the callee's answer: milliseconds, or a duration such as `"5s"`. Default 60 s. */
  timeout?: number | string;
}

/** The callee's answer: its status, headers (lower-case names) and raw body bytes. */
export interface CallFunctionResponse {
  statusCode: number;
  headers: ResponseHeaders;
  contentType: string;
  body: Buffer;
}

/** `context.platform`. */
export interface ContextPlatform {
  /**
   * Calls another function deployed on the same platform through its HTTP trigger and
   * resolves with its answer, whatever its status. Rejects with NUCLEON_ERR_CALLEE_NOT_FOUND
   * when no function of that name is deployed there, NUCLEON_ERR_CALL_FAILED when it does
   * not answer in time or at all.
   */
  callFunction(name: string, event?: CallFunctionEvent, options?: CallFunctionOptions): Promise<CallFunctionResponse>;
}
