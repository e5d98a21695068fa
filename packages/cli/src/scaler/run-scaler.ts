import { createLogger, loadPlugin, triggerPackage } from '@nucleon/processor';
import { Scaler, startScalerServer } from '@nucleon/scaler';
import { cliPackageDir } from '../package-paths.js';
import { canonicalPlatform, openPlatform, type PlatformTarget } from '../platforms.js';
import { removeRecord, writeRecord } from './scaler-files.js';

/** What `nucleon scaler run` is given. */
export interface RunScalerOptions extends PlatformTarget {
  platform: string;
  /** Admin server port on `host` (0: any free one, recorded for `scaler status`). */
  port: number;
  host: string;
  intervalMs: number;
}

/**
 * Runs the scaler in the foreground until SIGTERM/SIGINT: JSON log lines on stdout, its admin
 * server (/metrics, /healthz, /status), and its record for `scaler status|stop` and `deploy`.
 * On a signal every request it holds is answered 503 before it exits.
 */
export async function runScaler(options: RunScalerOptions): Promise<void> {
  const platformName = canonicalPlatform(options.platform);
  const logger = createLogger({ fields: { name: 'scaler', platform: platformName } });
  const platform = await openPlatform(platformName, options);
  const scaler = new Scaler({
    platform, logger, intervalMs: options.intervalMs,
    // Stream wake: the built-in triggers resolve from the CLI's own dependencies.
    resolveTrigger: (kind) => loadPlugin({
      kind: 'trigger', packageName: triggerPackage(kind), configuredAs: kind, configPath: 'spec.triggers', searchPaths: [cliPackageDir()],
    }),
  });
  const server = await startScalerServer(scaler, { host: options.host, port: options.port, platform: platformName });
  await writeRecord({ pid: process.pid, port: server.port, platform: platformName, startedAt: new Date().toISOString() });
  scaler.start();
  logger.infoWith('scaler started', { pid: process.pid, metrics: `http://${options.host}:${server.port}/metrics`, intervalMs: options.intervalMs });
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      logger.infoWith('scaler stopping', { signal });
      resolve();
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
  await scaler.stop();
  await server.close();
  await removeRecord(platformName, process.pid);
  logger.info('scaler stopped');
}
