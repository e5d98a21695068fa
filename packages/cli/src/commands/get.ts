import type { Command } from 'commander';
import { createError, ErrorCodes } from '@nucleon/core';
import { outputFormat, renderStatuses, type OutputFormat } from '../output.js';
import { openPlatform } from '../platforms.js';
import { platformOption } from './function-options.js';

/** `nucleon get [name]`: one function or all, as a table, JSON or YAML. */
export function registerGet(program: Command): void {
  program.command('get')
    .description('show deployed functions (one, or all when no name is given)')
    .argument('[name]', 'function name')
    .option('-o, --output <format>', 'table, json or yaml', outputFormat, 'table' as OutputFormat)
    .addOption(platformOption())
    .addHelpText('after', '\nWith a name, json and yaml print one object; without, a list.\n' +
      'Exit codes: 0 found (an empty list too), 2 usage, 3 no function of that name.')
    .action(async (name: string | undefined, opts: { output: OutputFormat; platform: string }) => {
      const platform = openPlatform(opts.platform);
      if (name !== undefined) {
        const status = await platform.get(name);
        if (!status) throw createError(ErrorCodes.FUNCTION_NOT_FOUND, `function "${name}" not found on the ${opts.platform} platform`);
        process.stdout.write(renderStatuses([status], opts.output, true));
        return;
      }
      const statuses = await platform.list();
      if (statuses.length === 0 && opts.output === 'table') {
        process.stderr.write('no functions deployed\n');
        return;
      }
      process.stdout.write(renderStatuses(statuses, opts.output));
    });
}
