import { type ErrorCode, ErrorCodes } from './errors.js';

/** The processor's own account of why it did not start, from its log (shared by the platforms). */
export interface ProcessorFailure {
  code: ErrorCode;
  message: string;
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCodes));

/**
 * Finds the processor's startup failure in the log lines of one attempt: the JSON line its
 * main writes (`{"msg":"processor failed to start","code":...,"error":...}`), else the last
 * error-level JSON line carrying a known `NUCLEON_ERR_` code. Undefined when it logged none.
 */
export function findProcessorFailure(lines: readonly string[]): ProcessorFailure | undefined {
  let fallback: ProcessorFailure | undefined;
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    const code = typeof entry.code === 'string' && KNOWN_CODES.has(entry.code) ? (entry.code as ErrorCode) : undefined;
    const message = typeof entry.error === 'string' ? entry.error : typeof entry.msg === 'string' ? entry.msg : undefined;
    if (entry.msg === 'processor failed to start' && message !== undefined) {
      return { code: code ?? ErrorCodes.DEPLOY_FAILED, message };
    }
    if (entry.level === 'error' && code && message) fallback = { code, message };
  }
  return fallback;
}
