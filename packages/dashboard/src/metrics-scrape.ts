import type { FunctionStatus } from '@nucleon/core';
import { HttpError } from './http-error.js';

/** Sums every sample of a Prometheus metric whose name matches. */
function sum(text: string, name: RegExp): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && name.test(m[1]!)) total += Number(m[3]) || 0;
  }
  return total;
}

/** Scrapes the processor's admin `/metrics` (address from the status details) into the API's shape. */
export async function scrapeMetrics(status: FunctionStatus): Promise<Record<string, unknown>> {
  const d = status.details ?? {};
  const port = d.adminPort;
  const host = typeof d.httpHost === 'string' ? d.httpHost : '127.0.0.1';
  if (typeof port !== 'number') throw new HttpError(409, 'this platform reports no metrics address for the function', 'NUCLEON_ERR_FUNCTION_NOT_READY');
  const res = await fetch(`http://${host}:${port}/metrics`, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
  if (!res?.ok) throw new HttpError(502, 'the function\'s metrics endpoint did not answer', 'NUCLEON_ERR_FUNCTION_UNREACHABLE');
  const text = await res.text();
  return {
    at: new Date().toISOString(),
    invocations: sum(text, /events?_(handled|processed)?_?total$|invocations_total$/),
    errors: sum(text, /errors?_total$|failures?_total$/),
    inFlight: sum(text, /in_?flight$/),
    latency: { count: sum(text, /duration_seconds_count$/), sumSeconds: sum(text, /duration_seconds_sum$/) },
  };
}
