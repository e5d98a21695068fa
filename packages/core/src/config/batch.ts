import { parseDuration } from './duration.js';
import { fieldPath, unknownKeyPath } from './field-path.js';
import { describeType, isPlainObject, type ProblemCollector } from './problems.js';
import type { FunctionSpec } from './types.js';

/** A trigger's `batch` block, Nuclio's shape: group events into one handler call. */
export interface BatchConfig {
  /** `enable` groups events; `disable` (the default) hands the handler one event at a time. */
  mode: 'enable' | 'disable';
  /** The most events in one batch. */
  batchSize: number;
  /** Go-style duration: how long the first event of a batch waits for more before the batch is sent. */
  timeout: string;
  /** `timeout` in milliseconds, derived at validation. */
  timeoutMs: number;
}

/** Nuclio's documented example values, used when the block leaves them out. */
export const DEFAULT_BATCH_SIZE = 10;
export const DEFAULT_BATCH_TIMEOUT = '1s';

/**
 * Where Nuclio supports batching (its docs: Python runtime, HTTP trigger), which is also
 * where Nucleon does: elsewhere an enabled batch would silently hand handlers one event.
 */
const BATCH_RUNTIMES: readonly string[] = ['python'];
const BATCH_TRIGGER_KINDS: readonly string[] = ['http'];

/** Reads `spec.triggers.<name>.batch`; problems go to `p` with their path. */
export function readBatch(raw: unknown, path: string, p: ProblemCollector): BatchConfig | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) {
    p.error(path, `expected a mapping with mode, batchSize and timeout, got ${describeType(raw)}`);
    return undefined;
  }
  for (const key of Object.keys(raw)) {
    // timeoutMs is derived, and present when a validated config is read back.
    if (!['mode', 'batchSize', 'timeout', 'timeoutMs'].includes(key)) p.warn(unknownKeyPath(path, key), 'unknown field, ignored');
  }
  const mode = raw.mode ?? 'disable';
  if (mode !== 'enable' && mode !== 'disable') p.error(`${path}.mode`, `expected one of enable, disable, got ${describeType(mode)}`);
  const batchSize = raw.batchSize ?? DEFAULT_BATCH_SIZE;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) {
    p.error(`${path}.batchSize`, `expected an integer >= 1, got ${typeof batchSize === 'number' && Number.isInteger(batchSize) ? 'a number below 1' : describeType(batchSize)}`);
  }
  const timeout = raw.timeout ?? DEFAULT_BATCH_TIMEOUT;
  const timeoutMs = typeof timeout === 'string' ? parseDuration(timeout) : undefined;
  if (timeoutMs === undefined) p.error(`${path}.timeout`, `expected a duration such as "100ms" or "1s", got ${describeType(timeout)}`);
  return {
    mode: mode === 'enable' ? 'enable' : 'disable',
    batchSize: typeof batchSize === 'number' ? batchSize : DEFAULT_BATCH_SIZE,
    timeout: String(timeout),
    timeoutMs: timeoutMs ?? 0,
  };
}

/** Refuses an enabled batch on a trigger kind or runtime that cannot batch, naming the field. */
export function checkBatchSupport(spec: FunctionSpec, p: ProblemCollector): void {
  const runtime = spec.runtime.split(':')[0] ?? '';
  for (const [name, trigger] of Object.entries(spec.triggers)) {
    if (trigger.batch?.mode !== 'enable') continue;
    const path = `${fieldPath('spec.triggers', name)}.batch.mode`;
    if (!BATCH_TRIGGER_KINDS.includes(trigger.kind)) {
      p.error(path, `batching is supported on ${BATCH_TRIGGER_KINDS.join(', ')} triggers only`);
    } else if (!BATCH_RUNTIMES.includes(runtime)) {
      p.error(path, `batching is supported by the ${BATCH_RUNTIMES.join(', ')} runtime only`);
    }
  }
}
