import { parseArgs } from 'node:util';
import { createError, ErrorCodes } from '@nucleon/core';
import { DEFAULT_RESYNC_MS } from './controller.js';
import { DEFAULT_METRICS_PORT } from './metrics-server.js';

export interface ControllerFlags {
  namespace: string;
  kubeconfig?: string;
  identity?: string;
  resyncMs: number;
  concurrency: number;
  leaderElect: boolean;
  metricsPort: number;
}

export const CONTROLLER_USAGE = `usage: nucleon-controller [options]
  --namespace <ns|*>      namespace to watch, '*' for all (env NUCLEON_CONTROLLER_NAMESPACE; default nucleon)
  --kubeconfig <path>     kubeconfig (default: KUBECONFIG, in-cluster, ~/.kube/config, the nucleon cache)
  --identity <id>         Lease holder identity (default <hostname>-<pid>-<random>)
  --resync <seconds>      reconcile every function this often (default ${DEFAULT_RESYNC_MS / 1000})
  --concurrency <n>       functions reconciled at once (default 2)
  --metrics-port <port>   /metrics and /healthz on 127.0.0.1 (default ${DEFAULT_METRICS_PORT}; 0: any)
  --no-leader-elect       do not take the Lease (one replica only, tests)`;

/** Parses the controller's command line (and its env fallbacks); bad values are NUCLEON_ERR_USAGE. */
export function parseControllerFlags(argv: string[], env: NodeJS.ProcessEnv = process.env): ControllerFlags {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        namespace: { type: 'string' }, kubeconfig: { type: 'string' }, identity: { type: 'string' },
        resync: { type: 'string' }, concurrency: { type: 'string' }, 'metrics-port': { type: 'string' },
        'leader-elect': { type: 'boolean' }, 'no-leader-elect': { type: 'boolean' },
      },
      strict: true,
    }));
  } catch (err) {
    throw createError(ErrorCodes.USAGE, `${(err as Error).message}\n${CONTROLLER_USAGE}`);
  }
  const whole = (flag: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw createError(ErrorCodes.USAGE, `--${flag} must be a whole number >= ${min}, got ${JSON.stringify(raw)}`);
    return n;
  };
  return {
    namespace: values.namespace ?? env.NUCLEON_CONTROLLER_NAMESPACE ?? 'nucleon',
    kubeconfig: values.kubeconfig,
    identity: values.identity,
    resyncMs: whole('resync', values.resync, DEFAULT_RESYNC_MS / 1000, 1) * 1000,
    concurrency: whole('concurrency', values.concurrency, 2, 1),
    metricsPort: whole('metrics-port', values['metrics-port'], DEFAULT_METRICS_PORT, 0),
    leaderElect: !values['no-leader-elect'],
  };
}
