import { Option, type Command } from 'commander';
import type { BaseKind } from '@nucleon/builder';
import kubePkg from '@nucleon/platform-kubernetes/package.json' with { type: 'json' };
import { locateInstalledPackage } from '../package-locator.js';

/** `nucleon images bootstrap`: the base images, assembled on this machine without a registry. */
export function registerImages(program: Command): void {
  const images = program.command('images').description('manage the base images function images are built on');
  images.command('bootstrap')
    .description('assemble the base images locally (busybox, this Node.js, and Python for python functions) and import them; no registry needed')
    .addOption(new Option('--kind <kinds...>', 'which base images').choices(['node', 'python']).default(['node', 'python']))
    .option('--force', 'rebuild images that already exist')
    .action(async (opts: { kind: BaseKind[]; force?: boolean }) => {
      const { bootstrapBaseImages, openDocker } = await import('@nucleon/builder');
      const docker = await openDocker();
      const tags = await bootstrapBaseImages({ docker, kinds: opts.kind, force: opts.force === true, progress: (line) => process.stderr.write(`  ${line}\n`) });
      for (const tag of tags) process.stdout.write(`${tag}\n`);
    });
  images.command('controller')
    .description('build the nucleon/controller image (the Node base plus @nucleon/platform-kubernetes) that `nucleon kube install` runs')
    .option('-t, --tag <image>', `image name (default nucleon/controller:${kubePkg.version})`)
    .option('--push <registry>', 'also push it as <registry>/nucleon/controller:<version> (e.g. 127.0.0.1:5000)')
    .action(async (opts: { tag?: string; push?: string }) => {
      const { buildControllerImage, openDocker, pushImage } = await import('@nucleon/builder');
      const docker = await openDocker();
      const line = (text: string): void => {
        process.stderr.write(`  ${text}\n`);
      };
      const { image } = await buildControllerImage({ docker, tag: opts.tag ?? `nucleon/controller:${kubePkg.version}`, locate: locateInstalledPackage, progress: line });
      let reference = image;
      if (opts.push) {
        reference = `${opts.push.replace(/\/+$/, '')}/nucleon/controller:${kubePkg.version}`;
        await pushImage({ docker, image, reference, progress: line });
      }
      process.stdout.write(`${reference}\n`);
    });
}
