/**
 * `nucleon-processor`: runs one function in the foreground until SIGTERM/SIGINT.
 * Configuration: --config <file> or NUCLEON_FUNCTION_CONFIG (path) or
 * NUCLEON_FUNCTION_CONFIG_JSON (text); the rest through flags or NUCLEON_* variables.
 */
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HTTP_REUSE_PORT_ENV, isNucleonError } from '@nucleon/core';
import { loadFunctionConfig } from './config-loader.js';
import { ExitCodes } from './exit-codes.js';
import { createLogger, errorFields } from './logging.js';
import { loopWatchdogOptions } from './loop-watchdog.js';
import { startProcessor } from './processor.js';

const USAGE = `Usage: nucleon-processor [--config <function.yaml>] [--function-dir <dir>]
                         [--http-port <n>] [--admin-port <n>] [--drain-timeout-ms <n>]

Environment: NUCLEON_FUNCTION_CONFIG, NUCLEON_FUNCTION_CONFIG_JSON, NUCLEON_FUNCTION_DIR,
NUCLEON_HTTP_PORT, NUCLEON_HTTP_HOST, NUCLEON_HTTP_DEFAULT_HOST, NUCLEON_HTTP_REUSE_PORT (1: SO_REUSEPORT), NUCLEON_ADMIN_PORT (8082), NUCLEON_ADMIN_HOST (127.0.0.1),
NUCLEON_DRAIN_TIMEOUT_MS (10000), NUCLEON_LOG_LEVEL (info), NUCLEON_PLUGIN_PATHS (dirs joined by ':'),
NUCLEON_LOOP_BLOCK_TIMEOUT_MS (10000; 0 = no event-loop watchdog), NUCLEON_LOOP_BLOCK_EXIT (true: exit ${ExitCodes.LOOP_BLOCKED} when blocked),
NUCLEON_LOOP_BLOCK_KILL_AFTER_MS (2000: SIGKILL when the exit does not happen).`;

function intOrUndefined(value: string | undefined, what: string): number | undefined {
  if (value === undefined || value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${what} must be a whole number, got "${value}"`);
  return n;
}

class UsageError extends Error {}

/** Runs a settings parser, turning its RangeError into a usage error (exit 2). */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof RangeError) throw new UsageError(err.message);
    throw err;
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' }, 'function-dir': { type: 'string' }, 'http-port': { type: 'string' },
      'admin-port': { type: 'string' }, 'drain-timeout-ms': { type: 'string' }, help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const env = process.env;
  const file = values.config ?? env.NUCLEON_FUNCTION_CONFIG;
  const text = file ? undefined : env.NUCLEON_FUNCTION_CONFIG_JSON;
  if (!file && !text) throw new UsageError(`no function configuration: pass --config or set NUCLEON_FUNCTION_CONFIG\n${USAGE}`);
  const { config, warnings } = loadFunctionConfig({ file, text });
  const functionDir = resolve(values['function-dir'] ?? env.NUCLEON_FUNCTION_DIR ?? (file ? dirname(file) : process.cwd()));
  const drainTimeoutMs = intOrUndefined(values['drain-timeout-ms'] ?? env.NUCLEON_DRAIN_TIMEOUT_MS, 'drain timeout') ?? 10_000;
  const logger = createLogger({ level: env.NUCLEON_LOG_LEVEL, fields: { function: config.metadata.name } });
  const loopWatchdog = usage(() => loopWatchdogOptions(env));

  process.on('unhandledRejection', (reason) => logger.errorWith('unhandled promise rejection in function code', errorFields(reason)));
  // An exception thrown outside any event (a timer callback, an emitter) leaves the process in
  // an unknown state: say which function and why (one JSON line for collectors, one plain
  // line for people), then exit so a platform can restart it.
  process.on('uncaughtException', (err) => {
    const why = 'an exception escaped the function code outside any event (a timer, an emitter or a callback)';
    logger.errorWith('uncaught exception in function code; exiting', { ...errorFields(err), reason: why, exitCode: ExitCodes.UNCAUGHT_EXCEPTION });
    process.stderr.write(`nucleon-processor: function "${config.metadata.name}": ${why}: ${err instanceof Error ? err.message : String(err)};` +
      ` exiting with code ${ExitCodes.UNCAUGHT_EXCEPTION}\n`);
    process.exit(ExitCodes.UNCAUGHT_EXCEPTION);
  });
  // A signal while plugins load, wrappers start or Go compiles: nothing is serving yet, so
  // leave at once (wrappers exit when their socket closes) rather than be killed mid-way.
  const duringStart = (signal: NodeJS.Signals) => {
    logger.infoWith('signal during start; exiting', { signal });
    process.exit(signal === 'SIGINT' ? ExitCodes.SIGINT_DURING_START : ExitCodes.SIGTERM_DURING_START);
  };
  process.once('SIGTERM', duringStart);
  process.once('SIGINT', duringStart);
  const processor = await startProcessor({
    config, functionDir, warnings, logger, drainTimeoutMs,
    httpPort: intOrUndefined(values['http-port'] ?? env.NUCLEON_HTTP_PORT, 'HTTP port'),
    httpHost: env.NUCLEON_HTTP_HOST || undefined,
    httpReusePort: env[HTTP_REUSE_PORT_ENV] === '1',
    defaultHttpHost: env.NUCLEON_HTTP_DEFAULT_HOST || undefined,
    adminPort: intOrUndefined(values['admin-port'] ?? env.NUCLEON_ADMIN_PORT, 'admin port'),
    adminHost: env.NUCLEON_ADMIN_HOST || undefined,
    pluginPaths: (env.NUCLEON_PLUGIN_PATHS ?? '').split(':').filter(Boolean),
    loopWatchdog,
  });

  const shutdown = (signal: string) => {
    logger.infoWith('draining', { signal, deadlineMs: drainTimeoutMs });
    // The hard stop: whatever still runs after the deadline (plus a little for closing) is cut off.
    setTimeout(() => {
      logger.error('drain deadline exceeded; exiting');
      process.exit(ExitCodes.FAILED);
    }, drainTimeoutMs + 2000).unref();
    processor.stop(drainTimeoutMs).then(() => process.exit(ExitCodes.OK), (err: unknown) => {
      logger.errorWith('stop failed', errorFields(err));
      process.exit(ExitCodes.FAILED);
    });
  };
  process.off('SIGTERM', duringStart);
  process.off('SIGINT', duringStart);
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof UsageError) {
    process.stderr.write(`nucleon-processor: ${err.message}\n`);
    process.exit(ExitCodes.USAGE);
  }
  const code = isNucleonError(err) ? err.code : 'UNEXPECTED';
  // One JSON line for log collectors, one plain line for people.
  process.stdout.write(`${JSON.stringify({ level: 'error', time: new Date().toISOString(), msg: 'processor failed to start', code, error: (err as Error).message })}\n`);
  process.stderr.write(`nucleon-processor: ${code}: ${(err as Error).message}\n`);
  process.exit(ExitCodes.FAILED);
});
