import { createError, ErrorCodes, findProcessorFailure, type NucleonError } from '@nucleon/core';
import { describeOutcome, type ReadyOutcome } from './wait-ready.js';

/** How many log lines a failed deploy's message carries. */
const LOG_TAIL_LINES = 20;

/** What became of the deployment a failed redeploy was replacing. */
export type PreviousAfterFailure = 'running' | 'restarted' | 'stopped';

const PREVIOUS_NOTE: Record<PreviousAfterFailure, string> = {
  running: ' (the previous deployment keeps running)',
  restarted: ' (the previous deployment was restarted)',
  stopped: ' (the previous deployment was stopped and could not be restarted)',
};

/** What {@link startFailure} needs. */
export interface StartFailureInput {
  name: string;
  outcome: ReadyOutcome;
  timeoutMs: number;
  logFile: string;
  /** The log lines this attempt's processor wrote (read before a restarted previous one adds its own). */
  lines: readonly string[];
  previous?: PreviousAfterFailure;
  /** Whether the log file stays (a redeploy) or goes with the failed first deploy. */
  keepsLog: boolean;
  /** What failed: a deploy (default), or waking a function from zero. */
  action?: 'deploying' | 'waking';
}

/**
 * The error of a processor that did not become ready: the processor's own code and message
 * when it logged one (so NUCLEON_ERR_INVALID_CONFIG stays a configuration error), else
 * NUCLEON_ERR_DEPLOY_FAILED with how it ended; then this attempt's log lines only.
 */
export function startFailure(input: StartFailureInput): NucleonError {
  const { lines } = input;
  const tail = lines.slice(-LOG_TAIL_LINES).join('\n');
  const failure = findProcessorFailure(lines);
  const headline = failure?.message ?? describeOutcome(input.outcome, input.timeoutMs);
  const where = input.keepsLog ? `this attempt's lines of ${input.logFile}:` : 'the processor logged:';
  return createError(failure?.code ?? ErrorCodes.DEPLOY_FAILED,
    `${input.action ?? 'deploying'} function "${input.name}" on the local platform failed${input.previous ? PREVIOUS_NOTE[input.previous] : ''}: ${headline}` +
    (tail ? `\n${where}\n${tail}` : '\nthe processor logged nothing'),
    { details: { logTail: tail, outcome: input.outcome.kind, ...(input.keepsLog ? { logFile: input.logFile } : {}) } });
}
