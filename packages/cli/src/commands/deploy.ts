import { Option, type Command } from 'commander';
import { formatWarnings, loadFunction } from '../config/load-function.js';
import { openPlatform } from '../platforms.js';
import { addImageOptions, buildImage, type ImageOptionValues } from './build.js';
import { addFunctionOptions, functionFlags, platformOption, type FunctionOptionValues } from './function-options.js';

interface DeployOptions extends FunctionOptionValues, ImageOptionValues {
  platform: string;
  output: 'text' | 'json';
  image?: string;
}

/** Platforms that run images: `deploy` builds one first unless --image names it. */
const IMAGE_PLATFORMS = new Set(['docker']);

/** `nucleon deploy [path]`: the function on a platform, in the background; replaces one of the same name. */
export function registerDeploy(program: Command): void {
  const command = program.command('deploy')
    .description('deploy a function to a platform (replacing a running one of the same name once the new one is ready)');
  addImageOptions(addFunctionOptions(command))
    .option('--image <image>', 'docker platform: run this image instead of building one (as spec.image)')
    .addOption(platformOption())
    .addOption(new Option('-o, --output <format>', 'what to print on success').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExit codes: 0 deployed and ready, 1 deploy failed (the processor log tail is printed), 2 usage, 4 invalid configuration.')
    .action(async (pathArg: string | undefined, opts: DeployOptions) => {
      const loaded = loadFunction(functionFlags(pathArg, opts));
      process.stderr.write(formatWarnings(loaded.warnings));
      const platform = openPlatform(opts.platform);
      let config = loaded.config;
      if (IMAGE_PLATFORMS.has(opts.platform)) {
        const image = opts.image ?? config.spec.image ?? (await buildImage(loaded, opts)).image;
        config = { ...config, spec: { ...config.spec, image } };
      }
      const status = await platform.deploy({ config, functionDir: loaded.functionDir });
      if (opts.output === 'json') {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        return;
      }
      process.stdout.write(`function "${status.name}" deployed on ${status.platform}\n` +
        `  state: ${status.state}\n` +
        `  url:   ${status.url ?? '(no HTTP trigger)'}\n`);
    });
}
