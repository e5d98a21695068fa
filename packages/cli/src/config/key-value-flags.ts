import { usageError } from '../errors.js';

/**
 * Parses nuctl's `a=b,c=d` lists (`--labels`, `--annotations`, `--resource-limit`): split
 * at commas, each entry at its first `=`. An entry without a name or `=` is a usage error.
 */
export function parseKeyValueList(flag: string, text: string | undefined): Record<string, string> | undefined {
  if (text === undefined) return undefined;
  const result: Record<string, string> = {};
  for (const entry of text.split(',')) {
    if (entry.trim() === '') continue;
    const eq = entry.indexOf('=');
    const key = eq === -1 ? '' : entry.slice(0, eq).trim();
    if (key === '') throw usageError(`${flag} expects name=value[,name=value...], got "${text}"`);
    result[key] = entry.slice(eq + 1).trim();
  }
  return result;
}

/** The repeatable form (`--resource-limit cpu=1 --resource-limit memory=128Mi`): later entries win. */
export function parseKeyValueLists(flag: string, entries: readonly string[] | undefined): Record<string, string> | undefined {
  if (entries === undefined || entries.length === 0) return undefined;
  return Object.assign({}, ...entries.map((entry) => parseKeyValueList(flag, entry))) as Record<string, string>;
}

/** Parses a flag holding a JSON object (`--runtime-attrs`, `--triggers`); anything else is a usage error. */
export function parseJsonObjectFlag(flag: string, text: string | undefined, example: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw usageError(`${flag} is not valid JSON (${(err as Error).message}); expected an object such as '${example}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw usageError(`${flag} must be a JSON object, such as '${example}'`);
  }
  return value as Record<string, unknown>;
}
