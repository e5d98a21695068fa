import type { Command } from 'commander';
import { refuseNuctlFlags, UNSUPPORTED_NUCTL_FLAGS } from '../nuctl-flags.js';
import { openPlatform } from '../platforms.js';
import { releaseSourceFolder } from '../source/source-dir.js';
import { addClusterOptions, functionSubcommand, namespaceOption, platformOption, type ClusterOptionValues } from './function-options.js';

/** `nucleon delete <name>` and nuctl's `delete function(s) <name>`: stop the function (draining it) and forget it. */
export function registerDelete(program: Command): void {
  const del = program.command('delete').alias('del')
    .description('stop a deployed function (SIGTERM, up to 10 s to drain, then SIGKILL) and remove its state and logs; also `delete function(s) <name>`');
  addDeleteOptions(del);
  const fn = functionSubcommand(del)
    .description('stop a deployed function and remove it, as nuctl\'s `delete function`');
  addDeleteOptions(fn);
}

function addDeleteOptions(command: Command): void {
  command
    .argument('<name>', 'function name')
    .addOption(platformOption())
    .addOption(namespaceOption())
    .addHelpText('after', '\nWith --platform kube: deletes the NuclioFunction in the foreground and waits until its objects and pods are gone.\nA source folder fetched for it (-p URL, spec.build.functionSourceCode) goes too, unless another function uses it.\n' +
      'Exit codes: 0 deleted, 1 could not be stopped, 3 no function of that name.');
  refuseNuctlFlags(addClusterOptions(command), UNSUPPORTED_NUCTL_FLAGS.delete!)
    .action(async (name: string, opts: { platform: string; namespace?: string } & ClusterOptionValues) => {
      const platform = await openPlatform(opts.platform, opts);
      const codeDir = (await platform.get(name))?.details?.functionDir;
      await platform.delete(name, { onProgress: (line) => process.stderr.write(`delete: ${line}\n`) });
      if (typeof codeDir === 'string') await releaseSourceFolder(codeDir, platform);
      process.stdout.write(`function "${name}" deleted\n`);
    });
}
