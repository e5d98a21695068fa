import { createError, ErrorCodes, type NucleonError } from '@nucleon/core';
import type { PreviousAfterFailure } from './start-failure.js';

const PREVIOUS_NOTE: Record<PreviousAfterFailure, string> = {
  running: '; the previous deployment keeps running',
  restarted: '; the previous deployment was restarted',
  stopped: '; the previous deployment was stopped and could not be restarted',
};

/**
 * NUCLEON_ERR_DEPLOY_INTERRUPTED: the deployer gave up (`DeployRequest.signal`, Ctrl-C). What
 * this attempt started is stopped by then, and the message says what became of the previous deployment.
 */
export function interrupted(name: string, previous: PreviousAfterFailure | undefined, when: string): NucleonError {
  return createError(ErrorCodes.DEPLOY_INTERRUPTED,
    `deploying function "${name}" on the local platform was interrupted ${when}; what it started was stopped${previous ? PREVIOUS_NOTE[previous] : ''}`,
    { details: { previous: previous ?? 'none' } });
}
