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
  for (const component of ['controller', 'scaler', 'dashboard'] as const) registerComponentImage(images, component);
}

const COMPONENT_DESCRIPTIONS = {
  controller: 'the Node base plus @nucleon/platform-kubernetes',
  scaler: 'the Node base plus this CLI and its plugins, running `nucleon scaler run --platform kube`',
  dashboard: 'the Node base plus this CLI, running `nucleon dashboard --platform docker` on port 8070',
} as const;
const COMPONENT_USES = {
  controller: 'that `nucleon kube install` runs',
  scaler: 'that `nucleon kube install` runs',
  dashboard: 'to run with `docker run --network host -v /var/run/docker.sock:/var/run/docker.sock`',
} as const;

/** `nucleon images controller|scaler|dashboard [--push registry]`: Nucleon's own component images. */
function registerComponentImage(images: Command, component: keyof typeof COMPONENT_USES): void {
  images.command(component)
    .description(`build the nucleon/${component} image (${COMPONENT_DESCRIPTIONS[component]}) ${COMPONENT_USES[component]}`)
    .option('-t, --tag <image>', `image name (default nucleon/${component}:${kubePkg.version})`)
    .option('--push <registry>', `also push it as <registry>/nucleon/${component}:<version> (e.g. 127.0.0.1:5000)`)
    .action(async (opts: { tag?: string; push?: string }) => {
      const { buildComponentImage, openDocker, pushImage } = await import('@nucleon/builder');
      const docker = await openDocker();
      const line = (text: string): void => {
        process.stderr.write(`  ${text}\n`);
      };
      const { image } = await buildComponentImage({ docker, component, tag: opts.tag ?? `nucleon/${component}:${kubePkg.version}`, locate: locateInstalledPackage, progress: line });
      let reference = image;
      if (opts.push) {
        reference = `${opts.push.replace(/\/+$/, '')}/nucleon/${component}:${kubePkg.version}`;
        await pushImage({ docker, image, reference, progress: line });
      }
      process.stdout.write(`${reference}\n`);
    });
}
