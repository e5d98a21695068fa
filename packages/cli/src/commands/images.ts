import { Option, type Command } from 'commander';
import { bootstrapBaseImages, openDocker, type BaseKind } from '@nucleon/builder';

/** `nucleon images bootstrap`: the base images, assembled on this machine without a registry. */
export function registerImages(program: Command): void {
  const images = program.command('images').description('manage the base images function images are built on');
  images.command('bootstrap')
    .description('assemble the base images locally (busybox, this Node.js, and Python for python functions) and import them; no registry needed')
    .addOption(new Option('--kind <kinds...>', 'which base images').choices(['node', 'python']).default(['node', 'python']))
    .option('--force', 'rebuild images that already exist')
    .action(async (opts: { kind: BaseKind[]; force?: boolean }) => {
      const docker = await openDocker();
      const tags = await bootstrapBaseImages({ docker, kinds: opts.kind, force: opts.force === true, progress: (line) => process.stderr.write(`  ${line}\n`) });
      for (const tag of tags) process.stdout.write(`${tag}\n`);
    });
}
