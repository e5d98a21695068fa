/**
 * Every error Nucleon raises on purpose carries a stable code (`NUCLEON_ERR_...`) that
 * scripts and tests can match on; `docs/errors.md` documents each one.
 */
export const ErrorCodes = {
  INVALID_CONFIG: 'NUCLEON_ERR_INVALID_CONFIG',
  INVALID_NAME: 'NUCLEON_ERR_INVALID_NAME',
  CONFIG_PARSE: 'NUCLEON_ERR_CONFIG_PARSE',
  CONFIG_NOT_FOUND: 'NUCLEON_ERR_CONFIG_NOT_FOUND',
  CONFIG_TOO_LARGE: 'NUCLEON_ERR_CONFIG_TOO_LARGE',
  PATH_OUTSIDE_FUNCTION: 'NUCLEON_ERR_PATH_OUTSIDE_FUNCTION',
  UNKNOWN_TRIGGER_KIND: 'NUCLEON_ERR_UNKNOWN_TRIGGER_KIND',
  UNKNOWN_RUNTIME: 'NUCLEON_ERR_UNKNOWN_RUNTIME',
  UNKNOWN_PLATFORM: 'NUCLEON_ERR_UNKNOWN_PLATFORM',
  INVALID_PLUGIN: 'NUCLEON_ERR_INVALID_PLUGIN',
  PLUGIN_CORE_RANGE: 'NUCLEON_ERR_PLUGIN_CORE_RANGE',
  PLUGIN_FAILED: 'NUCLEON_ERR_PLUGIN_FAILED',
  HANDLER_NOT_FOUND: 'NUCLEON_ERR_HANDLER_NOT_FOUND',
  HANDLER_LOAD: 'NUCLEON_ERR_HANDLER_LOAD',
  HANDLER_FAILED: 'NUCLEON_ERR_HANDLER_FAILED',
  INIT_CONTEXT_FAILED: 'NUCLEON_ERR_INIT_CONTEXT_FAILED',
  EVENT_TIMEOUT: 'NUCLEON_ERR_EVENT_TIMEOUT',
  NO_WORKER_AVAILABLE: 'NUCLEON_ERR_NO_WORKER_AVAILABLE',
  INVALID_RESPONSE: 'NUCLEON_ERR_INVALID_RESPONSE',
  BODY_TOO_LARGE: 'NUCLEON_ERR_BODY_TOO_LARGE',
  REQUEST_TIMEOUT: 'NUCLEON_ERR_REQUEST_TIMEOUT',
  OVERLOADED: 'NUCLEON_ERR_OVERLOADED',
  RESPONSE_TOO_LARGE: 'NUCLEON_ERR_RESPONSE_TOO_LARGE',
  SHUTTING_DOWN: 'NUCLEON_ERR_SHUTTING_DOWN',
  FUNCTION_NOT_FOUND: 'NUCLEON_ERR_FUNCTION_NOT_FOUND',
  DEPLOY_FAILED: 'NUCLEON_ERR_DEPLOY_FAILED',
  INVOKE_FAILED: 'NUCLEON_ERR_INVOKE_FAILED',
  USAGE: 'NUCLEON_ERR_USAGE',
  WRAPPER_START: 'NUCLEON_ERR_WRAPPER_START',
  WRAPPER_PROTOCOL: 'NUCLEON_ERR_WRAPPER_PROTOCOL',
  WRAPPER_CRASHED: 'NUCLEON_ERR_WRAPPER_CRASHED',
  RUNTIME_BUILD: 'NUCLEON_ERR_RUNTIME_BUILD',
  BUILD_FAILED: 'NUCLEON_ERR_BUILD_FAILED',
  CALLEE_NOT_FOUND: 'NUCLEON_ERR_CALLEE_NOT_FOUND',
  CALL_FAILED: 'NUCLEON_ERR_CALL_FAILED',
  BATCH_RESPONSE_MISSING: 'NUCLEON_ERR_BATCH_RESPONSE_MISSING',
  DEPLOY_INTERRUPTED: 'NUCLEON_ERR_DEPLOY_INTERRUPTED',
  KUBECONFIG_NOT_FOUND: 'NUCLEON_ERR_KUBECONFIG_NOT_FOUND',
  CLUSTER_UNREACHABLE: 'NUCLEON_ERR_CLUSTER_UNREACHABLE',
  CRD_NOT_INSTALLED: 'NUCLEON_ERR_CRD_NOT_INSTALLED',
  KUBE_API: 'NUCLEON_ERR_KUBE_API',
  LEADER_ELECTION_LOST: 'NUCLEON_ERR_LEADER_ELECTION_LOST',
  NOT_LEADER: 'NUCLEON_ERR_NOT_LEADER',
  NO_FREE_PORT: 'NUCLEON_ERR_NO_FREE_PORT',
  SCALE_REFUSED: 'NUCLEON_ERR_SCALE_REFUSED',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** One problem found while validating configuration, with the dotted path it concerns. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** Extra, code-specific facts attached to an error (problems, plugin name, ...). */
export interface ErrorDetails {
  problems?: ConfigProblem[];
  plugin?: string;
  hook?: string;
  [key: string]: unknown;
}

/** The one error class Nucleon throws on purpose. Match on `code`, never on `message`. */
export class NucleonError extends Error {
  override readonly name = 'NucleonError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: ErrorDetails } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }
}

/** The factory every package uses, so codes and message shapes stay uniform. */
export function createError(
  code: ErrorCode,
  message: string,
  options: { cause?: unknown; details?: ErrorDetails } = {},
): NucleonError {
  return new NucleonError(code, message, options);
}

/** True when `err` is a NucleonError, optionally with the given code. */
export function isNucleonError(err: unknown, code?: ErrorCode): err is NucleonError {
  return err instanceof Error && (err as NucleonError).name === 'NucleonError' &&
    typeof (err as NucleonError).code === 'string' && (code === undefined || (err as NucleonError).code === code);
}

/** Formats config problems one per line, for error messages and CLI output. */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
}
