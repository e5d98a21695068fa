export { createDashboardServer, DEFAULT_BODY_LIMIT } from './server.js';
export type { DashboardOptions } from './server.js';
export { resolveToken, TOKEN_ENV, TOKEN_HASH_FILE, bearerChecker, sha256Hex } from './auth.js';
export type { DashboardAuth, ResolvedToken } from './auth.js';
export { startDashboard } from './start.js';
export type { FunctionView } from './function-view.js';
export type { FunctionTemplate } from './templates/index.js';
