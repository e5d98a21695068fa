import { functionDir, functionYaml, startProcessor, type StartedProcessor } from './processor-process.js';

/**
 * The YAML of one trigger, indented to sit under `spec.triggers` (pass it as `functionYaml({ trigger })`):
 * `name:` with its `kind`, then `extra` lines at trigger level (`url: ...`, `numWorkers: 2`), then
 * `attributes:` holding the `attributes` lines (omitted when there are none). Ends with a newline.
 */
export function triggerYaml(options: { name: string; kind: string; attributes?: string[]; extra?: string[] }): string {
  const attributes = options.attributes ?? [];
  return [`    ${options.name}:`, `      kind: ${options.kind}`, ...(options.extra ?? []).map((line) => `      ${line}`),
    ...(attributes.length > 0 ? ['      attributes:', ...attributes.map((line) => `        ${line}`)] : []), ''].join('\n');
}

export interface StartExpectingFailureOptions {
  /** SIGKILL the processor if it is still running after this long (default 15 s); `code` is then null. */
  limitMs?: number;
  /** The `main.js` written next to the function.yaml when given a trigger (default: a handler returning ""). */
  handler?: string;
  /** Extra environment for the processor. */
  env?: Record<string, string>;
  /** Called with the processor as soon as it is spawned (to track it for clean-up, say). */
  onStart?: (processor: StartedProcessor) => void;
}

export interface FailedStart {
  /** The exit code (null when it had to be killed). */
  code: number | null;
  /** Everything the processor printed (stdout and stderr). */
  output: string;
  /** Milliseconds from the start to the exit. */
  ms: number;
}

const DEFAULT_HANDLER = 'exports.handler = () => "";';

/**
 * Starts the real processor expecting it to refuse to start (bad configuration, unreachable
 * broker, bad code), without waiting for /ready; resolves once it has exited. Given a trigger's
 * YAML (see `triggerYaml`), it runs a Node function with that one trigger; given files (relative
 * path -> content), it runs exactly those as the function directory.
 */
export async function startExpectingFailure(trigger: string | Record<string, string>, options: StartExpectingFailureOptions = {}): Promise<FailedStart> {
  const files = typeof trigger === 'string'
    ? { 'function.yaml': functionYaml({ trigger }), 'main.js': options.handler ?? DEFAULT_HANDLER }
    : trigger;
  const t0 = Date.now();
  const p = await startProcessor(functionDir(files), { waitReady: false, ...(options.env ? { env: options.env } : {}) });
  options.onStart?.(p);
  const timer = setTimeout(() => p.child.kill('SIGKILL'), options.limitMs ?? 15_000);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output(), ms: Date.now() - t0 };
}
