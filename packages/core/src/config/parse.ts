import { isScalar, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { createError, ErrorCodes } from '../errors.js';
import { configTooLarge, maxConfigBytes } from './config-limits.js';
import { escapeText } from './field-path.js';

/** Options of {@link parseFunctionConfigText}. */
export interface ParseOptions {
  /**
   * A text longer than this many bytes is refused (NUCLEON_ERR_CONFIG_TOO_LARGE). Without it
   * the text is not measured: the caller bounded what it read (see `readFunctionFile`), or
   * wrote it itself, as a platform writes the processor's configuration.
   */
  maxBytes?: number;
}

/** One syntax problem, at a position when the parser knows it. */
interface SyntaxProblem {
  offset: number;
  text: string;
}

/**
 * Parses the text of a `function.yaml` (YAML or JSON). Syntax errors, duplicate keys and
 * aliases that expand the document past the size limit ({@link maxConfigBytes}, or the text's
 * own size when larger) become one NUCLEON_ERR_CONFIG_PARSE error naming the source, line and
 * column; a text over `options.maxBytes` is NUCLEON_ERR_CONFIG_TOO_LARGE. Linear in the size
 * of the text.
 */
export function parseFunctionConfigText(text: string, source = 'function.yaml', options: ParseOptions = {}): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (options.maxBytes !== undefined && bytes > options.maxBytes) throw configTooLarge(source, bytes, options.maxBytes);
  // A document without aliases never expands past its own size, so a large trusted text passes.
  const limit = Math.max(options.maxBytes ?? maxConfigBytes(), bytes);
  const lineCounter = new LineCounter();
  // The library's own uniqueKeys check compares each key with every earlier key of its map:
  // 90k annotation keys took minutes. duplicateKeys does the same check with one Set per map.
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: false, lineCounter });
  const problems: SyntaxProblem[] = [
    ...doc.errors.map((e) => ({ offset: e.pos[0], text: firstLine(e.message) })),
    ...duplicateKeys(doc),
  ].sort((a, b) => a.offset - b.offset);
  if (problems.length > 0) {
    throw parseError(source, problems.map((p) => {
      const pos = lineCounter.linePos(p.offset);
      return `line ${pos.line}, column ${pos.col}: ${p.text}`;
    }));
  }
  let value: unknown;
  try {
    // The library refuses aliases nested into exponential growth (billion laughs) past 100.
    value = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (cause) {
    throw parseError(source, [firstLine((cause as Error).message)], cause);
  }
  // Many aliases of one large node grow linearly but without bound once written out as JSON.
  if (expandsPast(value, limit)) throw parseError(source, [`its aliases expand it past the ${limit}-byte limit`]);
  return value;
}

function parseError(source: string, details: string[], cause?: unknown): Error {
  return createError(ErrorCodes.CONFIG_PARSE, `cannot parse ${source}:\n  - ${details.join('\n  - ')}`,
    { details: { source, errors: details }, ...(cause === undefined ? {} : { cause }) });
}

/** yaml messages that quote the text they stopped at: only the words before the quote are kept. */
const QUOTING = new RegExp('^(Block scalar header includes extra characters|Not a YAML token|Unresolved tag|Could not resolve tag|' +
  'Not a valid tag|Ordered maps must not include duplicate keys|Unresolved alias \\(the anchor must be set before the alias\\)): .*$');

/** Longest parse message printed; the rest of a message names tokens, never whole lines. */
const MAX_MESSAGE_CHARS = 120;

/**
 * prettyErrors appends " at line L, column C:" and a source excerpt: the position is printed
 * once, the excerpt never, nor the text a message quotes (it may be a line of a secret).
 */
function firstLine(message: string): string {
  const line = (message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
  const words = escapeText(line.replace(QUOTING, '$1'));
  return words.length > MAX_MESSAGE_CHARS ? `${words.slice(0, MAX_MESSAGE_CHARS)}…` : words;
}

/** The second and later occurrences of a scalar key in each mapping. */
function duplicateKeys(doc: Document): SyntaxProblem[] {
  const found: SyntaxProblem[] = [];
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const { key } of map.items) {
        if (!isScalar(key)) continue;
        if (seen.has(key.value)) found.push({ offset: key.range?.[0] ?? 0, text: 'Map keys must be unique' });
        else seen.add(key.value);
      }
    },
  });
  return found;
}

/**
 * True when `value`, every alias expanded, is larger than `limit`: each string and key counts
 * its length, every other node 1, which never exceeds the text a document without aliases
 * takes. Stops as soon as the budget is spent, so the walk is bounded by the limit.
 */
export function expandsPast(value: unknown, limit: number): boolean {
  let budget = limit;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    budget -= typeof node === 'string' ? Math.max(1, node.length) : 1;
    if (budget < 0) return true;
    if (Array.isArray(node)) {
      for (const child of node) pending.push(child);
    } else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        budget -= key.length;
        pending.push(child);
      }
    }
  }
  return false;
}
