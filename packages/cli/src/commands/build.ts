import type { Command } from 'commander';
import type { BuildResult } from '@nucleon/builder';
import type { LoadedFunction } from '../config/load-function.js';
import { formatWarnings } from '../config/load-function.js';
import { prepareFunction } from '../config/prepare-function.js';
import { refuseNuctlFlags, UNSUPPORTED_NUCTL_FLAGS } from '../nuctl-flags.js';
import { locateInstalledPackage } from '../package-locator.js';
import { addFunctionOptions, functionFlags, type FunctionOptionValues } from './function-options.js';

export interface ImageOptionValues {
  tag?: string;
  plugin?: string[];
  dockerfileOut?: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `--tag`, `--plugin` (repeatable) and `--dockerfile-out`, shared by `build` and `deploy --platform docker`. */
export function addImageOptions(command: Command): Command {
  return command
    .option('-t, --tag <image>', 'image name (default nucleon/<function name>:latest)')
    .option('--plugin <package>', 'extra plugin to put in the image: an npm package or a local folder (repeatable)', collect)
    .option('--dockerfile-out <file>', 'also write the generated Dockerfile to this file');
}

/** Builds the function's image, printing progress on stderr. */
export async function buildImage(loaded: LoadedFunction, opts: ImageOptionValues): Promise<BuildResult> {
  // The builder (and dockerode) load when a command builds, not at every command's start.
  const { buildFunctionImage, openDocker } = await import('@nucleon/builder');
  const docker = await openDocker();
  const result = await buildFunctionImage({
    docker, config: loaded.config, functionDir: loaded.functionDir, plugins: opts.plugin ?? [], locate: locateInstalledPackage,
    ...(opts.tag ? { tag: opts.tag } : {}), ...(opts.dockerfileOut ? { dockerfileOut: opts.dockerfileOut } : {}),
    progress: (line) => process.stderr.write(`  ${line}\n`),
  });
  process.stderr.write(`built ${result.image} in ${(result.durationMs / 1000).toFixed(1)} s\n`);
  return result;
}

/** `nucleon build [path]`: the function's OCI image in the local Docker engine. */
export function registerBuild(program: Command): void {
  const command = program.command('build')
    .description('build an OCI image of a function: base, processor with only the plugins it uses (plus --plugin), handler, baked configuration');
  refuseNuctlFlags(addImageOptions(addFunctionOptions(command)), UNSUPPORTED_NUCTL_FLAGS.build!)
    .addHelpText('after', '\nNeeds a Docker engine. Base images are assembled locally (see `nucleon images bootstrap`); set\n' +
      'spec.build.baseImage to use your own. Prints the image name on stdout.\nExit codes: 0 built, 1 build failed (the build log tail is printed), 2 usage, 4 invalid configuration.')
    .action(async (positional: string | undefined, opts: FunctionOptionValues & ImageOptionValues) => {
      const loaded = await prepareFunction(functionFlags(positional, opts), (line) => process.stderr.write(`build: ${line}\n`));
      process.stderr.write(formatWarnings(loaded.warnings));
      const result = await buildImage(loaded, opts);
      process.stdout.write(`${result.image}\n`);
    });
}
