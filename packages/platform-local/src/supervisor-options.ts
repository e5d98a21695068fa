import { createError, ErrorCodes } from '@nucleon/core';
import { DEFAULT_BACKOFF, type BackoffOptions } from './restart-backoff.js';

/** What the platform hands a supervisor in `<run>/supervisor.json`. */
export interface SupervisorOptions {
  /** The Node binary and the flags it runs the processor with (heap cap, orphan guard). */
  node: string;
  nodeArgs: string[];
  cwd: string;
  logFile: string;
  /** The run folder: `state.json` goes there. */
  runDir: string;
  adminPort: number;
  limits: SupervisorLimits;
  /** `spec.resources.limits.memory` in bytes, enforced over the processor's process group. */
  memoryLimitBytes?: number;
}

/** The supervisor's bounds; each has a default and a NUCLEON_LOCAL_* variable in the deployer's environment. */
export interface SupervisorLimits {
  logMaxBytes: number;
  logFiles: number;
  logLineMaxBytes: number;
  logIdleFlushMs: number;
  backoff: BackoffOptions;
  memoryPollMs: number;
}

/** Each limit's environment variable and default. */
const KNOBS = {
  logMaxBytes: ['NUCLEON_LOCAL_LOG_MAX_BYTES', 10 * 1024 * 1024],
  logFiles: ['NUCLEON_LOCAL_LOG_FILES', 3],
  logLineMaxBytes: ['NUCLEON_LOCAL_LOG_LINE_MAX_BYTES', 16 * 1024],
  logIdleFlushMs: ['NUCLEON_LOCAL_LOG_IDLE_FLUSH_MS', 500],
  initialMs: ['NUCLEON_LOCAL_RESTART_INITIAL_MS', DEFAULT_BACKOFF.initialMs],
  maxMs: ['NUCLEON_LOCAL_RESTART_MAX_MS', DEFAULT_BACKOFF.maxMs],
  stableMs: ['NUCLEON_LOCAL_RESTART_STABLE_MS', DEFAULT_BACKOFF.stableMs],
  memoryPollMs: ['NUCLEON_LOCAL_MEMORY_POLL_MS', 250],
} as const;

/**
 * The supervisor's limits from the deployer's environment, defaults for what is unset; a value
 * that is not a whole number (or is 0 where 0 makes no sense) is NUCLEON_ERR_INVALID_CONFIG.
 */
export function supervisorLimits(env: NodeJS.ProcessEnv = process.env): SupervisorLimits {
  const problems: string[] = [];
  const read = (knob: keyof typeof KNOBS, min: number): number => {
    const [name, fallback] = KNOBS[knob];
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) {
      problems.push(`${name}=${JSON.stringify(raw)} must be a whole number >= ${min}`);
      return fallback;
    }
    return value;
  };
  const limits: SupervisorLimits = {
    logMaxBytes: read('logMaxBytes', 1024),
    logFiles: read('logFiles', 0),
    logLineMaxBytes: read('logLineMaxBytes', 80),
    logIdleFlushMs: read('logIdleFlushMs', 1),
    backoff: { initialMs: read('initialMs', 1), maxMs: read('maxMs', 1), stableMs: read('stableMs', 1) },
    memoryPollMs: read('memoryPollMs', 10),
  };
  if (problems.length > 0) {
    throw createError(ErrorCodes.INVALID_CONFIG, `invalid local platform limits:\n  - ${problems.join('\n  - ')}`);
  }
  return limits;
}
