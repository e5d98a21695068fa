import { createError, ErrorCodes } from '../errors.js';

/**
 * The largest configuration file read, in bytes: 2 MiB. A Kubernetes object (so any Nuclio
 * function.yaml that deploys there, inline `spec.build.functionSourceCode` included) stays under
 * etcd's default 1.5 MiB request limit, so every such file fits. Loading is linear (2 MiB in
 * under a second on a busy 2-CPU machine), so the limit bounds the time too; a larger file is
 * refused from its size, before it is read.
 */
export const DEFAULT_MAX_CONFIG_BYTES = 2 * 1024 * 1024;

/** Environment variable that changes {@link DEFAULT_MAX_CONFIG_BYTES}. */
export const MAX_CONFIG_BYTES_ENV = 'NUCLEON_MAX_CONFIG_BYTES';

/** The configuration size limit in force: `NUCLEON_MAX_CONFIG_BYTES` (a whole number of bytes), else the default. */
export function maxConfigBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_CONFIG_BYTES_ENV];
  if (raw === undefined || raw === '') return DEFAULT_MAX_CONFIG_BYTES;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw createError(ErrorCodes.USAGE, `${MAX_CONFIG_BYTES_ENV} must be a whole number of bytes >= 1`);
  }
  return Number(raw);
}

/** The coded error for a configuration over the limit, raised before its content is parsed. */
export function configTooLarge(source: string, bytes: number, limit: number): Error {
  return createError(ErrorCodes.CONFIG_TOO_LARGE,
    `${source} is ${bytes} bytes, over the ${limit}-byte limit for a function configuration (${MAX_CONFIG_BYTES_ENV} changes it)`,
    { details: { source, bytes, limit } });
}
