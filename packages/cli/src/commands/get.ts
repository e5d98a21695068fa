import type { Command } from 'commander';
import { createError, ErrorCodes, type FunctionStatus } from '@nucleon/core';
import { functionView, viewsYaml, wideTable } from '../function-view.js';
import { refuseNuctlFlags, UNSUPPORTED_NUCTL_FLAGS } from '../nuctl-flags.js';
import { outputFormat, renderStatuses, type OutputFormat } from '../output.js';
import { openPlatform } from '../platforms.js';
import { addClusterOptions, functionSubcommand, namespaceOption, platformOption, type ClusterOptionValues } from './function-options.js';

interface GetOptions extends ClusterOptionValues {
  namespace?: string;
  output: OutputFormat;
  platform: string;
}

/**
 * `nucleon get [name]` and nuctl's `get function(s) [name]`: one function or all, as a table
 * (`wide` adds columns) or as nuctl prints them, the configuration with `status`, in JSON or YAML.
 */
export function registerGet(program: Command): void {
  const get = program.command('get')
    .description('show deployed functions (one, or all when no name is given); also `get function(s) [name]`')
    // `get function f -o yaml`: the -o belongs to `function`, not to `get`.
    .enablePositionalOptions();
  addGetOptions(get);
  const fn = functionSubcommand(get)
    .description('show deployed functions, as nuctl\'s `get function` (one, or all when no name is given)');
  addGetOptions(fn);
}

function addGetOptions(command: Command): void {
  command
    .argument('[name]', 'function name')
    .option('-o, --output <format>', 'table (nuctl\'s text), wide, json or yaml', outputFormat, 'table' as OutputFormat)
    .addOption(platformOption())
    .addOption(namespaceOption())
    .addHelpText('after', '\njson and yaml print the deployed configuration (apiVersion, kind, metadata, spec) with the\n' +
      'platform\'s status under `status`: one object with a name; without, a JSON list or one YAML document each.\n' +
      'With --platform kube, a function whose pods are not ready says why (the scheduler\'s reason for a Pending pod).\n' +
      'Exit codes: 0 found (an empty list too), 2 usage, 3 no function of that name.');
  refuseNuctlFlags(addClusterOptions(command), UNSUPPORTED_NUCTL_FLAGS.get!).action(showFunctions);
}

async function showFunctions(name: string | undefined, opts: GetOptions): Promise<void> {
  const platform = await openPlatform(opts.platform, opts);
  let statuses: FunctionStatus[];
  if (name !== undefined) {
    const status = await platform.get(name);
    if (!status) throw createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found on the ${opts.platform} platform`);
    statuses = [status];
  } else {
    statuses = await platform.list();
  }
  const tabular = opts.output === 'table' || opts.output === 'text' || opts.output === 'wide';
  if (statuses.length === 0 && tabular) {
    process.stderr.write('no functions deployed\n');
    return;
  }
  if (opts.output === 'table' || opts.output === 'text') {
    process.stdout.write(renderStatuses(statuses));
    return;
  }
  const views = await Promise.all(statuses.map((s) => functionView(platform, s)));
  if (opts.output === 'wide') process.stdout.write(wideTable(views));
  else if (opts.output === 'yaml') process.stdout.write(viewsYaml(views));
  else process.stdout.write(`${JSON.stringify(name !== undefined ? views[0] : views, null, 2)}\n`);
}
