import { parseDocument } from 'yaml';
import { createError, ErrorCodes } from '../errors.js';

/**
 * Parses the text of a `function.yaml` (YAML or JSON). Syntax errors become one
 * NUCLEON_ERR_CONFIG_PARSE error naming the source, line and column.
 */
export function parseFunctionConfigText(text: string, source = 'function.yaml'): unknown {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const details = doc.errors.map((e) => {
      const pos = e.linePos?.[0];
      // prettyErrors appends " at line L, column C:" and a source excerpt; keep the position once.
      const message = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      return pos ? `line ${pos.line}, column ${pos.col}: ${message}` : message;
    });
    throw createError(ErrorCodes.CONFIG_PARSE, `cannot parse ${source}:\n  - ${details.join('\n  - ')}`,
      { details: { source, errors: details } });
  }
  return doc.toJS() ?? {};
}
