import { defineConfig, type Options } from 'tsup';

/**
 * The build every package shares: ESM for Node 22+, declarations, source maps. `entry`
 * lists the package's entry points; `dtsEntry` narrows declarations to its library entry
 * when another entry is a binary. `bundle` names dependencies inlined into the output
 * instead of imported from node_modules at run time: Node's ESM loader pays per file
 * (resolution, package.json scope lookups, compile), so a dependency of 50 small files costs
 * far more to load than its bytes. Bundled CommonJS dependencies call `require` for Node's
 * built-ins, which an ES module lacks: the banner gives them one.
 */
export function packageBuild(entry: string[], options: { dtsEntry?: string | string[]; bundle?: string[] } & Pick<Options, 'banner'> = {}) {
  const requireShim = "import { createRequire as __nucleonCreateRequire } from 'node:module'; const require = __nucleonCreateRequire(import.meta.url);";
  const bundled = options.bundle && options.bundle.length > 0;
  const bannerJs = [options.banner?.js, bundled ? requireShim : undefined].filter(Boolean).join('\n');
  return defineConfig({
    entry,
    format: ['esm'],
    dts: options.dtsEntry ? { entry: options.dtsEntry } : true,
    sourcemap: true,
    clean: true,
    target: 'node22',
    noExternal: options.bundle,
    banner: bannerJs ? { ...options.banner, js: bannerJs } : options.banner,
  });
}
