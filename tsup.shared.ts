import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM for Node 22+, declarations, source maps. `entry`
 * lists the package's entry points; `dtsEntry` narrows declarations to its library entry
 * when another entry is a binary.
 */
export function packageBuild(entry: string[], options: { dtsEntry?: string | string[] } & Pick<Options, 'banner'> = {}) {
  return defineConfig({
    entry,
    format: ['esm'],
    dts: options.dtsEntry ? { entry: options.dtsEntry } : true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    banner: options.banner,
  });
}
