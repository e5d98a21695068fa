import type { Command } from 'commander';
import { openPlatform } from '../platforms.js';
import { refuseNuctlFlags, UNSUPPORTED_NUCTL_FLAGS } from '../nuctl-flags.js';
import { addClusterOptions, namespaceOption, platformOption, type ClusterOptionValues } from './function-options.js';

/** `nucleon logs <name>`: the processor's log lines (JSON), optionally followed. */
export function registerLogs(program: Command): void {
  const command = program.command('logs')
    .description('print the log of a deployed function (its processor\'s JSON lines, handler logs included)')
    .argument('<name>', 'function name')
    .option('-f, --follow', 'keep printing new lines until Ctrl-C or the function stops')
    .addOption(platformOption())
    .addOption(namespaceOption())
    .addHelpText('after', '\nWith --platform kube: every pod\'s log, through the API, each line prefixed by [pod] when there are several.\nExit codes: 0 done (also after Ctrl-C while following), 3 no function of that name.');
  refuseNuctlFlags(addClusterOptions(command), UNSUPPORTED_NUCTL_FLAGS.logs!)
    .action(async (name: string, opts: { follow?: boolean; platform: string; namespace?: string } & ClusterOptionValues) => {
      const controller = new AbortController();
      const stop = (): void => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        for await (const line of (await openPlatform(opts.platform, opts)).logs(name, { follow: opts.follow, signal: controller.signal })) {
          if (!process.stdout.write(`${line}\n`)) await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
