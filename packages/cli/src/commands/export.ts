import { Option, type Command } from 'commander';
import { stringify } from 'yaml';
import { createError, ErrorCodes, type Platform } from '@nucleon/core';
import { deployedConfig } from '../function-view.js';
import { refuseNuctlFlags, UNSUPPORTED_NUCTL_FLAGS } from '../nuctl-flags.js';
import { openPlatform } from '../platforms.js';
import { addClusterOptions, functionSubcommand, namespaceOption, platformOption, type ClusterOptionValues } from './function-options.js';

interface ExportOptions extends ClusterOptionValues {
  namespace?: string;
  output: 'yaml' | 'json';
  platform: string;
}

/** `nucleon export function [name]`: the deployed function.yaml, ready to deploy again (nuctl's export). */
export function registerExport(program: Command): void {
  const exp = program.command('export').description('print the configuration of deployed functions (nuctl\'s export)');
  const fn = functionSubcommand(exp)
    .description('print a deployed function\'s configuration as function.yaml (all functions, by name, without a name)')
    .argument('[name]', 'function name')
    .addOption(new Option('-o, --output <format>', 'yaml or json').choices(['yaml', 'json']).default('yaml'))
    .addOption(platformOption())
    .addOption(namespaceOption())
    .addHelpText('after', '\nThe output deploys again as is: `nucleon export function f > function.yaml`. A platform that keeps\n' +
      'no configuration exports what its status knows (name, runtime, handler).\nExit codes: 0 printed, 3 no function of that name.');
  refuseNuctlFlags(addClusterOptions(fn), UNSUPPORTED_NUCTL_FLAGS.export!)
    .action(async (name: string | undefined, opts: ExportOptions) => {
      const platform = await openPlatform(opts.platform, opts);
      const names = name !== undefined ? [name] : (await platform.list()).map((s) => s.name);
      const configs: Record<string, unknown> = {};
      for (const n of names) configs[n] = await configOf(platform, n, opts.platform);
      const data = name !== undefined ? configs[name] : configs;
      process.stdout.write(opts.output === 'json' ? `${JSON.stringify(data, null, 2)}\n` : stringify(data));
    });
}

async function configOf(platform: Platform, name: string, platformName: string): Promise<unknown> {
  const status = await platform.get(name);
  if (!status) throw createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found on the ${platformName} platform`);
  return deployedConfig(platform, status);
}
