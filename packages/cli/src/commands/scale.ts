import { Option, type Command } from 'commander';
import { createError, ErrorCodes } from '@nucleon/core';
import { usageError } from '../errors.js';
import { openPlatform } from '../platforms.js';
import { addClusterOptions, namespaceOption, platformOption, type ClusterOptionValues } from './function-options.js';

function replicaCount(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw usageError(`--replicas must be a whole number at or above 0, got "${value}"`);
  return n;
}

/** `nucleon scale <name> --replicas N`: to zero (stopped, kept, woken by the scaler) or back up, by hand. */
export function registerScale(program: Command): void {
  program.command('scale')
    .description('set how many processors serve a deployed function: 0 scales it to zero (kept, woken on the next event by the scaler), 1 starts it again')
    .argument('<name>', 'function name')
    .addOption(new Option('--replicas <n>', 'processors to run (0 or 1 on the local and Docker platforms)').argParser(replicaCount).makeOptionMandatory())
    .addOption(platformOption())
    .addOption(namespaceOption())
    .addHelpText('after', '\nScaling up waits until the function is ready. A function at zero shows "scaled to zero" in `get`;\n' +
      'with `nucleon scaler` running (deploy starts it for functions with minReplicas: 0), its first request wakes it.\n' +
      'Exit codes: 0 done, 1 failed (the function stays as it was), 2 usage, 3 no function of that name.');
  addClusterOptions(program.commands.at(-1)!)
    .action(async (name: string, opts: { replicas: number; platform: string; namespace?: string } & ClusterOptionValues) => {
      const platform = await openPlatform(opts.platform, opts);
      if (!platform.scale) throw createError(ErrorCodes.USAGE, `the ${opts.platform} platform cannot scale functions`);
      const status = await platform.scale(name, opts.replicas, { onProgress: (line) => process.stderr.write(`scale: ${line}\n`) });
      process.stdout.write(status.state === 'scaledToZero' ? `function "${name}" scaled to zero\n` : `function "${name}" is ${status.state}${status.url ? ` at ${status.url}` : ''}\n`);
    });
}
