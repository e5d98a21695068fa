import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { createError, ErrorCodes } from '@nucleon/core';
import { cacheDir } from './paths.js';

const run = promisify(execFile);

/** Finds the folder of an installed package by name (the CLI's own node_modules, the workspace). */
export type PackageLocator = (name: string) => string | undefined;

export interface BundleOptions {
  /** Package names the processor needs: itself, the runtime, the triggers. */
  packages: readonly string[];
  /** Extra plugins (`--plugin`): an npm spec (`name`, `name@1.2.3`) or a local folder. */
  plugins: readonly string[];
  locate: PackageLocator;
  progress?: (line: string) => void;
}

export interface Bundle {
  /** A folder holding `package.json` and `node_modules` with the processor and the plugins. */
  dir: string;
  cached: boolean;
}

interface Manifest {
  name: string;
  version: string;
  files?: string[];
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  [key: string]: unknown;
}

/**
 * Installs the processor with only the plugins a function uses (plus `--plugin` extras) into
 * a self-contained folder, cached by a hash of what goes in: a handler-only rebuild reuses it,
 * and the image layer made from it stays the same. Nucleon packages are copied from where
 * they are installed (workspace links resolved to versions); everything else comes from npm.
 */
export async function bundleProcessor(options: BundleOptions): Promise<Bundle> {
  const progress = options.progress ?? (() => undefined);
  const packages = await closure(options.packages, options.locate);
  const localPlugins = options.plugins.filter(isFolder).map((p) => resolve(p));
  const npmPlugins = options.plugins.filter((p) => !isFolder(p));
  const key = await bundleKey([...packages.values(), ...localPlugins], npmPlugins);
  const dir = join(cacheDir(), 'build', `processor-${key}`);
  if (existsSync(join(dir, '.complete'))) return { dir, cached: true };

  progress(`processor: bundling ${[...packages.keys(), ...localPlugins, ...npmPlugins].join(', ')}`);
  await installCached(dir, ['install', '--install-links', '--omit=dev', '--ignore-scripts'], 'cannot install the processor and its plugins (npm install)', async (staging) => {
    await mkdir(join(staging, 'pkgs'), { recursive: true });
    const versions = new Map<string, string>();
    for (const [name, from] of packages) versions.set(name, (await readManifest(from)).version);
    const dependencies: Record<string, string> = {};
    for (const from of [...packages.values(), ...localPlugins]) {
      const manifest = await readManifest(from);
      const target = join(staging, 'pkgs', manifest.name.replace(/[@/]/g, '_'));
      await copyPackage(from, target, manifest, versions);
      dependencies[manifest.name] = `file:./${relative(staging, target)}`;
    }
    for (const spec of npmPlugins) dependencies[npmName(spec)] = npmVersion(spec);
    await writeFile(join(staging, 'package.json'), `${JSON.stringify({ name: 'nucleon-processor-bundle', private: true, dependencies }, null, 2)}\n`);
    progress('processor: npm install (production dependencies)');
  });
  return { dir, cached: false };
}

/**
 * Makes the cache folder `dir`: `prepare` fills a staging folder, `npm <args>` runs in it, and
 * the finished folder is published. A failed install removes the staging folder and is a
 * BUILD_FAILED error (`failure`, then the end of npm's output).
 */
export async function installCached(dir: string, npmArgs: readonly string[], failure: string, prepare: (staging: string) => Promise<void>): Promise<void> {
  const staging = `${dir}.tmp-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await prepare(staging);
  try {
    await run('npm', [...npmArgs, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: staging, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    const output = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`.trim();
    throw createError(ErrorCodes.BUILD_FAILED, `${failure}:\n${tail(output, 20)}`, { cause: err });
  }
  await writeFile(join(staging, '.complete'), new Date().toISOString());
  await publishCached(staging, dir);
}

/**
 * Moves a finished staging folder into its cache place. Builds running at once may both make
 * it: the first one in wins and the other's copy is dropped, so a folder in use is never
 * replaced under a running build.
 */
async function publishCached(staging: string, dir: string): Promise<void> {
  if (existsSync(join(dir, '.complete'))) {
    await rm(staging, { recursive: true, force: true });
    return;
  }
  await rm(dir, { recursive: true, force: true });
  try {
    await rename(staging, dir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(join(dir, '.complete'))) throw err;
  }
}

/** The named packages and every `@nucleon/*` package they depend on, with their folders. */
async function closure(names: readonly string[], locate: PackageLocator): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (found.has(name)) continue;
    const dir = locate(name);
    if (!dir) throw createError(ErrorCodes.BUILD_FAILED, `package ${name} is not installed where this CLI can find it`);
    found.set(name, dir);
    const manifest = await readManifest(dir);
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
      if (dep.startsWith('@nucleon/')) queue.push(dep);
    }
  }
  return found;
}

/** Copies a package's published files, with `workspace:` ranges turned into real ones and no devDependencies. */
async function copyPackage(from: string, to: string, manifest: Manifest, versions: Map<string, string>): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of manifest.files ?? (await readdir(from)).filter((f) => f !== 'node_modules')) {
    if (existsSync(join(from, entry))) await cp(join(from, entry), join(to, entry), { recursive: true, dereference: true });
  }
  const pin = (deps: Record<string, string> | undefined): Record<string, string> | undefined => deps && Object.fromEntries(
    Object.entries(deps).map(([name, range]) => [name, range.startsWith('workspace:') ? `^${versions.get(name) ?? '0.0.0'}` : range]));
  const { devDependencies: _dev, ...rest } = manifest;
  const out = { ...rest, dependencies: pin(manifest.dependencies), peerDependencies: pin(manifest.peerDependencies) };
  await writeFile(join(to, 'package.json'), `${JSON.stringify(out, null, 2)}\n`);
}

/** A hash of every file that goes into the bundle, the npm specs, and the Node.js major. */
async function bundleKey(folders: readonly string[], npmSpecs: readonly string[]): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`node ${process.versions.node.split('.')[0]}\n${npmSpecs.join('\n')}\n`);
  for (const folder of folders) {
    const manifest = await readManifest(folder);
    hash.update(`${manifest.name}@${manifest.version}\n`);
    const entries = manifest.files ?? (await readdir(folder)).filter((f) => f !== 'node_modules');
    for (const file of await listFiles(folder, ['package.json', ...entries])) {
      hash.update(`${relative(folder, file)}\n`);
      hash.update(await readFile(file));
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function listFiles(root: string, entries: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (path: string): Promise<void> => {
    if (!existsSync(path) || basename(path) === 'node_modules') return;
    if (statSync(path).isDirectory()) {
      for (const child of (await readdir(path)).sort()) await walk(join(path, child));
    } else {
      out.push(path);
    }
  };
  for (const entry of entries) await walk(join(root, entry));
  return out;
}

async function readManifest(dir: string): Promise<Manifest> {
  return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Manifest;
}

const isFolder = (spec: string): boolean => spec.startsWith('.') || spec.startsWith('/') || existsSync(join(spec, 'package.json'));

/** The package name a `--plugin` spec installs: a folder's package.json name, or the npm spec's name. */
export async function pluginName(spec: string): Promise<string> {
  return isFolder(spec) ? (await readManifest(resolve(spec))).name : npmName(spec);
}

/** `@scope/name@1.2` -> `@scope/name`; `name` -> `name`. */
function npmName(spec: string): string {
  const at = spec.lastIndexOf('@');
  return at > 0 ? spec.slice(0, at) : spec;
}

function npmVersion(spec: string): string {
  const at = spec.lastIndexOf('@');
  return at > 0 ? spec.slice(at + 1) : 'latest';
}

export function tail(text: string, lines: number): string {
  return text.split('\n').slice(-lines).join('\n');
}
