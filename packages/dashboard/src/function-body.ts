import { createError, ErrorCodes, isNucleonError, validateFunctionConfig, type FunctionConfig } from '@nucleon/core';
import { HttpError } from './http-error.js';

export const PROJECT_LABEL = 'nuclio.io/project-name';

/** A deploy request's body, checked: the validated config and the decoded source. */
export interface CheckedFunction {
  config: FunctionConfig;
  source: string;
  project: string;
}

const BASE64 = /^[A-Za-z0-9+/\s]*={0,2}\s*$/;

/**
 * Validates a POST/PUT body with core's function.yaml rules (every problem with its path),
 * after taking out `spec.build.functionSourceCode`, which the dashboard writes to a file itself.
 */
export function checkFunctionBody(body: unknown, nameFromUrl?: string): CheckedFunction {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new HttpError(400, 'expected a JSON object {metadata, spec}', 'NUCLEON_ERR_INVALID_CONFIG', [{ path: '(root)', message: 'expected an object' }]);
  }
  const raw = structuredClone(body) as { metadata?: Record<string, unknown>; spec?: Record<string, unknown> };
  const problems: Array<{ path: string; message: string }> = [];
  const build = (raw.spec?.build ?? {}) as Record<string, unknown>;
  const code = build.functionSourceCode;
  delete build.functionSourceCode;
  if (typeof code !== 'string' || code.length === 0 || !BASE64.test(code)) {
    problems.push({ path: 'spec.build.functionSourceCode', message: 'required: the handler source, base64' });
  }
  if (nameFromUrl !== undefined && raw.metadata?.name !== undefined && raw.metadata.name !== nameFromUrl) {
    problems.push({ path: 'metadata.name', message: `must match the URL's name ${nameFromUrl}` });
  }
  if (nameFromUrl !== undefined && raw.metadata && raw.metadata.name === undefined) raw.metadata.name = nameFromUrl;
  let config: FunctionConfig | undefined;
  try {
    config = validateFunctionConfig(raw).config;
  } catch (err) {
    if (!isNucleonError(err)) throw err;
    problems.unshift(...(err.details.problems ?? [{ path: '(root)', message: err.message }]));
  }
  if (problems.length > 0 || !config) {
    const e = createError(ErrorCodes.INVALID_CONFIG, `invalid function: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    throw new HttpError(400, e.message, e.code, problems);
  }
  const project = config.metadata.labels?.[PROJECT_LABEL] ?? 'default';
  return { config, source: Buffer.from(code as string, 'base64').toString('utf8'), project };
}
