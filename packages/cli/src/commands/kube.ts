import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import type * as KubePlatform from '@nucleon/platform-kubernetes';
import type { LoadedKubeConfig } from '@nucleon/platform-kubernetes';
import kubePkg from '@nucleon/platform-kubernetes/package.json' with { type: 'json' };
import { createError, ErrorCodes } from '@nucleon/core';
import { locateInstalledPackage } from '../package-locator.js';
import { registries } from '../registry.js';
import { addClusterOptions, type ClusterOptionValues } from './function-options.js';

interface InstallOptionValues extends ClusterOptionValues {
  namespace: string;
  image?: string;
  registry?: string;
  watchAll?: boolean;
  dryRun?: boolean;
  metricsPort?: number;
  timeout: number;
  /** `--no-scaler` sets it false. */
  scaler: boolean;
  scalerImage?: string;
  scalerPort?: number;
}

/** The controller image `kube install` runs unless `--image` names another. */
export function defaultControllerImage(registry: string): string {
  return `${registry}/nucleon/controller:${kubePkg.version}`;
}

/** The scaler image `kube install` runs unless `--scaler-image` names another. */
export function defaultScalerImage(registry: string): string {
  return `${registry}/nucleon/scaler:${kubePkg.version}`;
}

/**
 * The platform package, imported when a kube command runs: the Kubernetes client it loads
 * takes about a third of a second, which every other command would pay at start otherwise.
 */
const loadKube = (): Promise<typeof KubePlatform> => import('@nucleon/platform-kubernetes');

/** The controller's namespace by default (the platform's `DEFAULT_NAMESPACE`; a test checks they agree). */
export const DEFAULT_KUBE_NAMESPACE = 'nucleon';

const progress = (line: string): void => {
  process.stderr.write(`kube: ${line}\n`);
};

/** `nucleon kube install|uninstall|controller`: the NuclioFunction CRD and its controller. */
export function registerKube(program: Command): void {
  const kube = program.command('kube').description('install, remove or run the Kubernetes controller that runs NuclioFunctions');
  const install = kube.command('install')
    .description('apply the NuclioFunction CRD, the controller\'s namespace, ServiceAccount, RBAC and Deployment, and wait until it is ready');
  addCommon(install)
    .option('--image <image>', `controller image (default <registry>/nucleon/controller:${kubePkg.version}; build it with \`nucleon images controller --push <registry>\`)`)
    .option('-r, --registry <host[:port]>', 'registry of the default image (default $NUCLEON_REGISTRY, else 127.0.0.1:5000)')
    .option('--watch-all', 'watch NuclioFunctions in every namespace (a ClusterRoleBinding) instead of only --namespace')
    .option('--scaler-image <image>', `scaler image (default <registry>/nucleon/scaler:${kubePkg.version}; build it with \`nucleon images scaler --push <registry>\`)`)
    .option('--no-scaler', 'do not install the scaler (scale to zero and the activator; it scales the functions of --namespace)')
    .addOption(new Option('--scaler-port <port>', 'the scaler\'s /metrics, /healthz and /status port on 127.0.0.1 of the node (default 8095)').argParser(Number))
    .option('--dry-run', 'print the objects as YAML instead of applying them')
    .addOption(new Option('--metrics-port <port>', 'the controller\'s /metrics and /healthz port on 127.0.0.1 of the node (default 8094; 0: any, no readiness probe)')
      .argParser(Number))
    .addOption(new Option('--timeout <seconds>', 'how long to wait for the controller to be ready').argParser(Number).default(120))
    .action(async (opts: InstallOptionValues) => {
      const {
        applyObjects, CONTROLLER_LABEL, createClusterClient, createObjectClient, installObjects, nuclioFunctionCrd, nuclioFunctionCrdManifest,
        SCALER_LABEL, scalerDeployment, waitCrdEstablished, waitDeploymentReady,
      } = await loadKube();
      const registry = registries({ ...(opts.registry ? { registry: opts.registry } : {}) }).run;
      const image = opts.image ?? defaultControllerImage(registry);
      const crd = nuclioFunctionCrd();
      const objects = installObjects({
        namespace: opts.namespace, image, crd, watchAll: opts.watchAll === true, ...(opts.metricsPort === undefined ? {} : { metricsPort: opts.metricsPort }),
      });
      const scaler = opts.scaler
        ? scalerDeployment({ namespace: opts.namespace, image: opts.scalerImage ?? defaultScalerImage(registry), ...(opts.scalerPort === undefined ? {} : { port: opts.scalerPort }) })
        : undefined;
      if (opts.dryRun) {
        // The CRD as its manifest (JSON field names: `x-kubernetes-...`, `enum`), not client-node's
        // model, whose names (`x_kubernetes_...`, `_enum`) only its own serializer understands.
        process.stdout.write([nuclioFunctionCrdManifest(), ...objects.slice(1), ...(scaler ? [scaler] : [])].map((o) => stringify(o)).join('---\n'));
        return;
      }
      const loaded = await loadCluster(opts);
      const client = createObjectClient(loaded);
      await applyObjects(client, [crd], progress);
      await waitCrdEstablished(client, crd);
      await applyObjects(client, objects.slice(1), progress);
      progress(`waiting for the controller (${image}) to be ready`);
      const pods = createClusterClient(loaded);
      const selector = Object.entries(CONTROLLER_LABEL).map(([k, v]) => `${k}=${v}`).join(',');
      await waitDeploymentReady(client, objects.at(-1)!, () => pods.listPods(opts.namespace, selector), progress, opts.timeout * 1000);
      progress('ready');
      if (scaler) {
        await applyObjects(client, [scaler], progress);
        progress(`waiting for the scaler (${scaler.spec!.template.spec!.containers[0]!.image}) to be ready`);
        const scalerSelector = Object.entries(SCALER_LABEL).map(([k, v]) => `${k}=${v}`).join(',');
        await waitDeploymentReady(client, scaler, () => pods.listPods(opts.namespace, scalerSelector), progress, opts.timeout * 1000);
        progress('ready');
      }
      process.stdout.write(`controller installed in namespace ${opts.namespace} (watching ${opts.watchAll ? 'every namespace' : opts.namespace})` +
        `${scaler ? `, with the scaler (scale to zero in ${opts.namespace})` : ''}\n`);
    });

  addCommon(kube.command('uninstall')
    .description('remove the controller and the scaler of a namespace (Deployments, binding, ServiceAccount); --crd also the shared ClusterRole and the CRD, and with it every NuclioFunction'))
    .option('--crd', 'also delete the ClusterRole and the CRD: Kubernetes then deletes every NuclioFunction and what it owns')
    .action(async (opts: ClusterOptionValues & { namespace: string; crd?: boolean }) => {
      const { createObjectClient, installObjects, nuclioFunctionCrd, removeObjects, scalerDeployment } = await loadKube();
      const client = createObjectClient(await loadCluster(opts));
      const crd = nuclioFunctionCrd();
      const [, , account, role, binding, deployment] = installObjects({ namespace: opts.namespace, image: 'unused', crd });
      const clusterBinding = installObjects({ namespace: opts.namespace, image: 'unused', crd, watchAll: true })[4]!;
      // The ClusterRoleBinding of a --watch-all install goes only if it binds this namespace's account;
      // the ClusterRole is shared by every namespace's install, so it goes only with --crd. Never the namespace.
      const bound = (await client.read(clusterBinding)) as { subjects?: Array<{ namespace?: string }> } | undefined;
      const ours = bound?.subjects?.some((subject) => subject.namespace === opts.namespace) ?? false;
      await removeObjects(client, [
        ...(opts.crd ? [crd, role!] : []), ...(ours ? [clusterBinding] : []), account!, binding!,
        scalerDeployment({ namespace: opts.namespace, image: 'unused' }), deployment!,
      ], progress);
      process.stdout.write(`controller removed from namespace ${opts.namespace}${opts.crd ? ', with the ClusterRole and the NuclioFunction CRD' : ''}\n`);
    });

  addCommon(kube.command('controller')
    .description('run the controller in the foreground, out of the cluster, with this kubeconfig (for development; Ctrl-C stops it)'))
    .addOption(new Option('--metrics-port <port>', 'its /metrics and /healthz port on 127.0.0.1 (default 8094; 0: any free port)').argParser(Number))
    .action(async (opts: ClusterOptionValues & { namespace: string; metricsPort?: number }) => {
      await runControllerHere(await loadCluster(opts), opts.namespace, opts.metricsPort);
    });
}

function addCommon(command: Command): Command {
  return addClusterOptions(command)
    .option('-n, --namespace <namespace>', 'the controller\'s namespace, which it watches', DEFAULT_KUBE_NAMESPACE);
}

async function loadCluster(opts: ClusterOptionValues): Promise<LoadedKubeConfig> {
  const { loadKubeConfig } = await loadKube();
  return loadKubeConfig({ ...(opts.kubeconfig ? { kubeconfig: opts.kubeconfig } : {}), ...(opts.context ? { context: opts.context } : {}) });
}

/**
 * Runs the platform package's controller entry (`dist/controller-main.js`) as a child with
 * the chosen kubeconfig, passing Ctrl-C/SIGTERM on so it gives up its Lease before exiting.
 */
async function runControllerHere(loaded: LoadedKubeConfig, namespace: string, metricsPort: number | undefined): Promise<void> {
  const packageDir = locateInstalledPackage('@nucleon/platform-kubernetes');
  const main = packageDir && join(packageDir, 'dist', 'controller-main.js');
  if (!main || !existsSync(main)) {
    throw createError(ErrorCodes.USAGE, `the controller entry ${main ?? '@nucleon/platform-kubernetes/dist/controller-main.js'} is missing: build @nucleon/platform-kubernetes`);
  }
  process.stderr.write(`kube: running the controller for namespace ${namespace} against ${loaded.server} (kubeconfig ${loaded.source}, context ${loaded.context})\n`);
  // The chosen context as the one current-context of a private copy, so the child sees what we do.
  const dir = await mkdtemp(join(tmpdir(), 'nucleon-controller-'));
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, loaded.kubeConfig.exportConfig(), { mode: 0o600 });
  const args = [main, '--namespace', namespace, '--kubeconfig', kubeconfig, ...(metricsPort === undefined ? [] : ['--metrics-port', String(metricsPort)])];
  const child = spawn(process.execPath, args, {
    stdio: 'inherit', env: { ...process.env, KUBECONFIG: kubeconfig },
  });
  const forward = (signal: NodeJS.Signals) => (): void => {
    child.kill(signal);
  };
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const code = await new Promise<number>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (exitCode, signal) => resolve(exitCode ?? (signal ? 0 : 1)));
    });
    if (code !== 0) throw createError(ErrorCodes.PLUGIN_FAILED, `the controller exited with code ${code}`);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    await rm(dir, { recursive: true, force: true });
  }
}
