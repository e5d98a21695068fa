import {
  createError, ErrorCodes, FUNCTION_ADDRESSES_ENV, isFunctionName, parseDuration, PLATFORM_NAME_ENV, readFunctionAddress,
  type CallFunctionEvent, type CallFunctionOptions, type CallFunctionResponse, type ContextPlatform, type Logger, type ResponseHeaders,
} from '@nucleon/core';

/** What {@link createFunctionCaller} needs: where the platform publishes addresses, and the caller's defaults. */
export interface FunctionCallerOptions {
  /** The processor's environment: NUCLEON_FUNCTION_ADDRESSES and NUCLEON_PLATFORM. */
  env: NodeJS.ProcessEnv;
  /** The calling function's name, sent to the callee in `x-nucleon-caller`. */
  callerName: string;
  /** Default timeout of one call (the caller's own eventTimeout: waiting longer could not help it). */
  defaultTimeoutMs: number;
  logger: Logger;
}

/**
 * `context.platform` for every runtime: `callFunction` resolves the callee through the
 * address file its platform wrote and makes the HTTP request. Wrapper runtimes reach it
 * through CALL frames (docs/protocol.md), Node handlers call it directly.
 */
export function createFunctionCaller(options: FunctionCallerOptions): ContextPlatform {
  return { callFunction: (name, event, callOptions) => callFunction(options, name, event ?? {}, callOptions ?? {}) };
}

async function callFunction(options: FunctionCallerOptions, name: string, event: CallFunctionEvent, callOptions: CallFunctionOptions): Promise<CallFunctionResponse> {
  const url = await resolveCallee(options.env, name);
  const timeoutMs = callTimeoutMs(callOptions.timeout, options.defaultTimeoutMs);
  const method = (event.method ?? 'POST').toUpperCase();
  const { body, contentType } = encodeBody(event.body, event.contentType);
  const headers = new Headers();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    for (const one of Array.isArray(value) ? value : [value]) headers.append(key, String(one));
  }
  headers.set('content-type', contentType);
  // Nuclio's SDK names the callee too, so a gateway in between can route on it.
  if (!headers.has('x-nuclio-target')) headers.set('x-nuclio-target', name);
  headers.set('x-nucleon-caller', options.callerName);
  const target = new URL(event.path ?? '/', url).toString();
  const started = performance.now();
  let response: Awaited<ReturnType<typeof fetch>>;
  let bytes: Buffer;
  try {
    response = await fetch(target, {
      method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body, signal: AbortSignal.timeout(timeoutMs),
    });
    bytes = Buffer.from(await response.arrayBuffer());
  } catch (cause) {
    const timedOut = (cause as Error).name === 'TimeoutError';
    throw createError(ErrorCodes.CALL_FAILED, timedOut
      ? `calling function "${name}" (${target}) timed out after ${timeoutMs} ms`
      : `calling function "${name}" (${target}) failed: ${describeCause(cause)}`, { cause, details: { callee: name, url: target } });
  }
  options.logger.debugWith('function called', { callee: name, status: response.status, ms: Math.round(performance.now() - started) });
  const responseHeaders: ResponseHeaders = {};
  response.headers.forEach((value, key) => { responseHeaders[key] = value; });
  return { statusCode: response.status, headers: responseHeaders, contentType: response.headers.get('content-type') ?? 'text/plain', body: bytes };
}

/** The callee's base URL; CALLEE_NOT_FOUND (naming the platform) when it has none. */
async function resolveCallee(env: NodeJS.ProcessEnv, name: string): Promise<string> {
  const platform = env[PLATFORM_NAME_ENV] || 'this';
  if (!isFunctionName(name)) {
    throw createError(ErrorCodes.CALLEE_NOT_FOUND, `function ${JSON.stringify(name)} not found: not a function name (lower-case letters, digits and "-")`,
      { details: { callee: name } });
  }
  const dir = env[FUNCTION_ADDRESSES_ENV];
  if (!dir) {
    throw createError(ErrorCodes.CALLEE_NOT_FOUND,
      `function "${name}" not found: this processor runs outside a platform (${FUNCTION_ADDRESSES_ENV} is not set)`, { details: { callee: name } });
  }
  const address = await readFunctionAddress(dir, name);
  if (!address) throw createError(ErrorCodes.CALLEE_NOT_FOUND, `function "${name}" not found on the ${platform} platform`, { details: { callee: name, platform } });
  return address.url;
}

function callTimeoutMs(timeout: number | string | undefined, fallback: number): number {
  if (timeout === undefined || timeout === null) return fallback;
  const ms = typeof timeout === 'number' ? timeout : parseDuration(timeout);
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms <= 0) {
    throw createError(ErrorCodes.CALL_FAILED, `callFunction timeout must be a positive number of milliseconds or a duration ("5s"), got ${JSON.stringify(timeout)}`);
  }
  return ms;
}

/** Nuclio's rule: bytes and text go as they are (text/plain unless told), anything else as JSON. */
function encodeBody(body: unknown, contentType: string | undefined): { body: Buffer; contentType: string } {
  if (body === undefined || body === null) return { body: Buffer.alloc(0), contentType: contentType ?? 'text/plain' };
  if (typeof body === 'string') return { body: Buffer.from(body, 'utf8'), contentType: contentType ?? 'text/plain' };
  if (body instanceof Uint8Array) return { body: Buffer.from(body), contentType: contentType ?? 'application/octet-stream' };
  return { body: Buffer.from(JSON.stringify(body), 'utf8'), contentType: contentType ?? 'application/json' };
}

function describeCause(cause: unknown): string {
  const error = cause as Error & { cause?: { code?: string; message?: string } };
  return error.cause?.code ?? error.cause?.message ?? error.message ?? String(cause);
}
