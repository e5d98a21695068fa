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

/** Renders statuses as a NAME STATE URL RUNTIME table. */
export function renderStatuses(statuses: readonly FunctionStatus[]): string {
  return table([['NAME', 'STATE', 'URL', 'RUNTIME'], ...statuses.map((s) => [s.name, s.state, s.url ?? '-', s.runtime])]);
}

/** Left-aligned columns separated by three spaces, like kubectl and nuctl. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('   ')).join('\n') + '\n';
}
