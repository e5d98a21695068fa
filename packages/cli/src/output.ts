import type { FunctionStatus } from '@nucleon/core';
import { usageError } from './errors.js';

/** Formats `get` accepts with -o/--output: `text` is nuctl's name for the plain table. */
export const OUTPUT_FORMATS = ['table', 'text', 'wide', 'json', 'yaml'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Checks an -o value. */
export function outputFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw usageError(`-o/--output must be one of ${OUTPUT_FORMATS.join(', ')}, got "${value}"`);
}

/**
 * Renders statuses as a NAME STATE URL RUNTIME table. URL is the first address, with `+N`
 * when the function listens on N more (`-o wide` lists them all).
 */
export function renderStatuses(statuses: readonly FunctionStatus[]): string {
  return table([['NAME', 'STATE', 'URL', 'RUNTIME'], ...statuses.map((s) => [s.name, stateText(s.state), firstUrl(urlsOf(s)), s.runtime])]);
}

/** A state as a table shows it: `scaledToZero` (what JSON and YAML say) reads `scaled to zero`. */
export function stateText(state: FunctionStatus['state']): string {
  return state === 'scaledToZero' ? 'scaled to zero' : state;
}

/** Every URL of a function: its main `url` first, then each other trigger address, once each. */
export function urlsOf(status: Pick<FunctionStatus, 'url' | 'addresses'>): string[] {
  const urls = status.url === undefined ? [] : [status.url];
  for (const { url } of status.addresses ?? []) if (!urls.includes(url)) urls.push(url);
  return urls;
}

/** The first URL, `+N` for the N others, `-` for none. */
function firstUrl(urls: readonly string[]): string {
  if (urls.length === 0) return '-';
  return urls.length === 1 ? urls[0]! : `${urls[0]} +${urls.length - 1}`;
}

/** Left-aligned columns separated by three spaces, like kubectl and nuctl. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('   ')).join('\n') + '\n';
}
