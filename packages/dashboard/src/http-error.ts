import type { ConfigProblem } from '@nucleon/core';

/** Codes the dashboard answers with besides core's (stable, documented in docs/api.md). */
export const DashboardCodes = {
  UNAUTHORIZED: 'NUCLEON_ERR_UNAUTHORIZED',
  DEPLOY_IN_PROGRESS: 'NUCLEON_ERR_DEPLOY_IN_PROGRESS',
  NOT_FOUND: 'NUCLEON_ERR_NOT_FOUND',
  CONFLICT: 'NUCLEON_ERR_CONFLICT',
  BAD_REQUEST: 'NUCLEON_ERR_BAD_REQUEST',
  NOT_READY: 'NUCLEON_ERR_FUNCTION_NOT_READY',
  UNREACHABLE: 'NUCLEON_ERR_FUNCTION_UNREACHABLE',
} as const;

/** An error a route throws on purpose: the server's error handler turns it into JSON with this status. */
export class HttpError extends Error {
  override readonly name = 'HttpError';
  constructor(
    readonly statusCode: number,
    message: string,
    readonly code?: string,
    readonly problems?: ConfigProblem[],
  ) {
    super(message);
  }
}

/** The JSON body every error reply has. */
export interface ErrorBody {
  error: string;
  code?: string;
  problems?: ConfigProblem[];
}
