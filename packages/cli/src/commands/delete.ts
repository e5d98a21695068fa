import type { Command } from 'commander';
import { openPlatform } from '../platforms.js';
import { platformOption } from './function-options.js';

/** `nucleon delete <name>`: stop the function (draining it) and forget it. */
export function registerDelete(program: Command): void {
  program.command('delete')
    .description('stop a deployed function (SIGTERM, up to 10 s to drain, then SIGKILL) and remove its state and logs')
    .argument('<name>', 'function name')
    .addOption(platformOption())
    .addHelpText('after', '\nExit codes: 0 deleted, 1 could not be stopped, 3 no function of that name.')
    .action(async (name: string, opts: { platform: string }) => {
      await openPlatform(opts.platform).delete(name);
      process.stdout.write(`function "${name}" deleted\n`);
    });
}
