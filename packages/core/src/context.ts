import type { Logger } from './logger.js';
import type { Response } from './response.js';

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
}
