import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { scaleToZeroPolicy, type FunctionStatus } from '@nucleon/core';
import { formatWarnings } from '../config/load-function.js';
import { prepareFunction } from '../config/prepare-function.js';
import { exportedConfig, statusFields } from '../function-view.js';
import { refuseNuctlFlags, UNSUPPORTED_NUCTL_FLAGS } from '../nuctl-flags.js';
import { InterruptedError, watchInterrupts, type Interrupts } from '../interrupt.js';
import { canonicalPlatform, openPlatform } from '../platforms.js';
import { checkRegistryFlags, pushFunctionImage, type RegistryOptionValues } from '../registry.js';
import { releaseSourceFolder } from '../source/source-dir.js';
import { addImageOptions, buildImage, type ImageOptionValues } from './build.js';
import {
  addClusterOptions, addFunctionOptions, functionFlags, platformOption, type ClusterOptionValues, type FunctionOptionValues,
} from './function-options.js';

interface DeployOptions extends FunctionOptionValues, ImageOptionValues, RegistryOptionValues, ClusterOptionValues {
  platform: string;
  output: 'text' | 'json' | 'yaml';
  image?: string;
  verbose?: boolean;
}

/** Platforms that run images: `deploy` builds one first unless --image names it. */
const IMAGE_PLATFORMS = new Set(['docker', 'kube']);

/** Progress lines on stderr, one per step, so a deploy is never a silent wait. */
function progress(line: string): void {
  process.stderr.write(`deploy: ${line}\n`);
}

/** `nucleon deploy [NAME] [-p path|URL]` (nuctl's form) or `nucleon deploy [path]`: replaces a function of the same name. */
export function registerDeploy(program: Command): void {
  const command = program.command('deploy')
    .description('deploy a function to a platform (replacing a running one of the same name once the new one is ready)');
  addClusterOptions(addImageOptions(addFunctionOptions(command)))
    .option('--image <image>', 'docker and kube platforms: run this image instead of building one (as spec.image; nuctl\'s --run-image)')
    .option('-r, --registry <host[:port][/path]>', 'kube: push the built image there (default $NUCLEON_REGISTRY, else 127.0.0.1:5000, the local registry)')
    .option('--run-registry <host[:port][/path]>', 'kube: the registry as the cluster pulls from it (default: --registry)')
    .addOption(platformOption())
    .option('-v, --verbose', 'also print the configuration being deployed (YAML) on stderr')
    .addOption(new Option('-o, --output <format>', 'what to print on success').choices(['text', 'json', 'yaml']).default('text'))
    .addHelpText('after', '\n`deploy my-func -p f.py --runtime python --handler f:handler` is nuctl\'s form; `deploy DIR` (an existing\n' +
      'path, no -p) deploys DIR. -p may be an http(s) URL of a handler file or a .zip/.tar.gz/.tgz archive.\n' +
      'Progress goes to stderr as `deploy: ...` lines, configuration warnings as `warning: <path>: ...`.\n' +
      'Exit codes: 0 deployed and ready, 1 deploy failed (the processor\'s error and this attempt\'s log tail are\n' +
      'printed), 2 usage, 4 invalid configuration (checked before anything starts), 130/143 interrupted by\n' +
      'Ctrl-C/SIGTERM (the platform stops what this attempt started; a second Ctrl-C exits at once).\n' +
      '--platform kube builds the image, pushes it as <registry>/nucleon/<name>:<image id> and applies a NuclioFunction\n' +
      '(namespace -n); the controller runs it on the node\'s host network, so the URL is http://127.0.0.1:<port>.');
  refuseNuctlFlags(command, UNSUPPORTED_NUCTL_FLAGS.deploy!)
    .action(async (positional: string | undefined, opts: DeployOptions) => {
      const interrupts = watchInterrupts('stopping the deployment');
      try {
        await deploy(positional, opts, interrupts);
      } finally {
        interrupts.dispose();
      }
    });
}

/**
 * Ctrl-C (SIGINT) or SIGTERM before the platform starts anything exits at once; during the
 * platform's deploy it aborts `DeployRequest.signal` and exits 130/143 once the platform has
 * stopped what it started (a second signal exits at once).
 */
async function deploy(positional: string | undefined, opts: DeployOptions, interrupts: Interrupts): Promise<void> {
  const platformName = canonicalPlatform(opts.platform);
  checkRegistryFlags(opts, platformName);
  const loaded = await prepareFunction(functionFlags(positional, opts), progress);
  const platform = await openPlatform(opts.platform, { namespace: opts.namespace ?? loaded.config.metadata.namespace, kubeconfig: opts.kubeconfig, context: opts.context });
  let config = loaded.config;
  process.stderr.write(formatWarnings([...loaded.warnings, ...(platform.unappliedFields?.(config) ?? [])]));
  if (opts.verbose) process.stderr.write(stringify(exportedConfig(config)));
  if (IMAGE_PLATFORMS.has(platformName)) {
    const image = opts.image ?? config.spec.image ?? (await builtImage(loaded, opts, platformName));
    config = { ...config, spec: { ...config.spec, image } };
  }
  const previousDir = (await platform.get(config.metadata.name))?.details?.functionDir;
  progress(`deploying "${config.metadata.name}" on the ${opts.platform} platform`);
  const status = await interrupts.during((signal) => platform.deploy({ config, functionDir: loaded.functionDir, onProgress: progress, signal }))
    .catch((err: unknown) => {
      if (err instanceof InterruptedError && err.finished) {
        progress(`the ${opts.platform} platform finished before it could stop: "${config.metadata.name}" is deployed`);
      }
      throw err;
    });
  if (typeof previousDir === 'string' && previousDir !== loaded.functionDir) await releaseSourceFolder(previousDir, platform);
  if (scaleToZeroPolicy(config) && SCALER_PLATFORMS.has(platformName)) await startScalerFor(config.metadata.name, platformName);
  process.stdout.write(render(status, opts.output, exportedConfig(config)));
}

/** Platforms whose scaler is a daemon on this machine (on Kubernetes it is a Deployment: `nucleon kube install`). */
const SCALER_PLATFORMS = new Set(['local', 'docker']);

/** A function that scales to zero needs the scaler: started in the background unless it runs. A scaler that cannot start is a warning, not a failed deploy. */
async function startScalerFor(name: string, platformName: string): Promise<void> {
  try {
    const { ensureScaler } = await import('../scaler/scaler-daemon.js');
    const { record, started } = await ensureScaler(platformName);
    if (started) progress(`started the scaler (pid ${record.pid}) to take "${name}" to zero when idle and wake it on the next event`);
  } catch (err) {
    process.stderr.write(`warning: "${name}" will not scale to zero: ${(err as Error).message}
`);
  }
}

/** Builds the function's image; for kube also pushes it to the registry and answers the reference pods pull. */
async function builtImage(loaded: Parameters<typeof buildImage>[0], opts: DeployOptions, platformName: string): Promise<string> {
  const built = await buildImage(loaded, opts);
  if (platformName !== 'kube') return built.image;
  const { openDocker } = await import('@nucleon/builder');
  return pushFunctionImage(await openDocker(), built, loaded.config.metadata.name, opts, (line) => progress(line));
}

function render(status: FunctionStatus, format: DeployOptions['output'], config: ReturnType<typeof exportedConfig>): string {
  if (format === 'json') return `${JSON.stringify(status, null, 2)}\n`;
  if (format === 'yaml') return stringify({ ...config, status: statusFields(status) });
  return `function "${status.name}" deployed on ${status.platform}\n` +
    `  state: ${status.state}\n` +
    `  url:   ${status.url ?? '(no HTTP trigger)'}\n`;
}
