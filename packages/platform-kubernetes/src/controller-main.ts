#!/usr/bin/env node
// The controller process: `node dist/controller-main.js [--namespace ns] ...` (the
// `nucleon/controller` image's entry, and `nucleon kube controller`).
import { isNucleonError } from '@nucleon/core';
import { runController } from './controller/controller.js';
import { CONTROLLER_USAGE, parseControllerFlags } from './controller/controller-flags.js';
import { loadControllerKubeConfig } from './controller/controller-kube-config.js';
import { jsonLogger } from './controller/json-logger.js';

async function main(): Promise<number> {
  const logger = jsonLogger({ component: 'nucleon-controller' });
  if (process.argv.includes('--help')) {
    process.stdout.write(CONTROLLER_USAGE + '\n');
    return 0;
  }
  const flags = parseControllerFlags(process.argv.slice(2));
  const { kubeConfig, source } = loadControllerKubeConfig({ kubeconfig: flags.kubeconfig });
  const abort = new AbortController();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      logger.info(`${signal}: stopping (releasing the lease)`);
      abort.abort();
    });
  }
  const controller = await runController({ kubeConfig, ...flags, logger, signal: abort.signal });
  logger.infoWith('controller started', {
    identity: controller.identity, namespace: flags.namespace, kubeconfig: source,
    server: kubeConfig.getCurrentCluster()?.server, leaderElect: flags.leaderElect, metricsPort: controller.metricsPort,
  });
  const exit = await controller.done;
  if (exit === 'lost-lease') {
    // client-go's behaviour: a controller that lost its lease exits, and its supervisor
    // restarts it as a standby, rather than guessing whether it may still write.
    logger.error('NUCLEON_ERR_LEADER_ELECTION_LOST: lost the lease; exiting so a supervisor restarts this controller');
    return 1;
  }
  logger.info('controller stopped');
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  const message = isNucleonError(err) ? `${err.code}: ${err.message}` : (err as Error)?.stack ?? String(err);
  process.stderr.write(`nucleon-controller: ${message}\n`);
  process.exit(isNucleonError(err) && err.code === 'NUCLEON_ERR_USAGE' ? 2 : 1);
});
