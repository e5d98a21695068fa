import { execFile, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, copyFile, cp, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/*
 * Test-only stand-in for the image builder (packages/builder), to be replaced by it: builds
 * function images with no registry at all. Docker Hub is unreachable here, so the base image
 * is `docker import` of a tree holding only the node binary running these tests and the
 * shared libraries `ldd` lists for it; the processor and its built-in plugins come from
 * `pnpm deploy` (the local pnpm store), the function from a few written files.
 */

const run = promisify(execFile);
const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
const PROCESSOR_DIR = '/opt/nucleon/processor';
const FUNCTION_DIR = '/opt/nucleon/function';

/** A function image to build: its files (function.yaml included) go to /opt/nucleon/function. */
export interface TestFunction {
  files: Record<string, string>;
}

/** Images built for one test file; `remove` deletes every one of them. */
export interface TestImages {
  functionImage(label: string, fn: TestFunction): Promise<string>;
  remove(): Promise<void>;
}

/** Builds the shared base and processor images; function images are added per test. */
export async function prepareTestImages(): Promise<TestImages> {
  const work = await mkdtemp(join(tmpdir(), 'nucleon-docker-images-'));
  const runId = randomBytes(4).toString('hex');
  const images: string[] = [];
  try {
    const base = await importNodeBase(work);
    images.push(base);
    const processorImage = `nucleon-test/processor:${runId}`;
    await buildProcessorImage(work, base, processorImage);
    images.push(processorImage);
    return {
      async functionImage(label, fn) {
        const tag = `nucleon-test/fn-${label}:${runId}`;
        const context = join(work, `fn-${label}`);
        await mkdir(join(context, 'function'), { recursive: true });
        for (const [file, text] of Object.entries(fn.files)) await writeFile(join(context, 'function', file), text);
        await writeFile(join(context, 'Dockerfile'), [
          `FROM ${processorImage}`,
          `COPY function ${FUNCTION_DIR}`,
          `ENV NUCLEON_FUNCTION_CONFIG=${FUNCTION_DIR}/function.yaml NUCLEON_FUNCTION_DIR=${FUNCTION_DIR}`,
          `ENTRYPOINT ["node", "${PROCESSOR_DIR}/dist/main.js"]`,
          '',
        ].join('\n'));
        await dockerBuild(context, tag);
        images.push(tag);
        return tag;
      },
      async remove() {
        for (const image of images.reverse()) await run('docker', ['image', 'rm', '-f', image]).catch(() => undefined);
        await rm(work, { recursive: true, force: true });
      },
    };
  } catch (err) {
    for (const image of images.reverse()) await run('docker', ['image', 'rm', '-f', image]).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
    throw err;
  }
}

/** `docker import` of node + its shared libraries, tagged by a hash of what went in. */
async function importNodeBase(work: string): Promise<string> {
  const node = process.execPath;
  const libs = await sharedLibraries(node);
  const info = await stat(node);
  const hash = createHash('sha256').update(JSON.stringify([node, info.size, info.mtimeMs, libs])).digest('hex').slice(0, 12);
  const tag = `nucleon-test/node-base:${hash}`;
  const root = join(work, 'rootfs');
  await mkdir(join(root, 'usr/local/bin'), { recursive: true });
  await copyFile(node, join(root, 'usr/local/bin/node'));
  await chmod(join(root, 'usr/local/bin/node'), 0o755);
  for (const lib of libs) {
    await mkdir(join(root, dirname(lib)), { recursive: true });
    await cp(lib, join(root, lib), { dereference: true });
  }
  await mkdir(join(root, 'tmp'), { mode: 0o1777 });
  await chmod(join(root, 'tmp'), 0o1777);
  await pipeToDocker(root, ['import', '--change', 'ENV PATH=/usr/local/bin:/usr/bin:/bin', '-', tag]);
  return tag;
}

/** Absolute paths of the libraries (loader included) that `ldd` lists for a binary. */
async function sharedLibraries(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]);
  const paths = stdout.split('\n').map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1]).filter((p): p is string => p !== undefined);
  return [...new Set(paths)];
}

/** The processor, with the runtime-node and trigger-http plugins beside it in node_modules. */
async function buildProcessorImage(work: string, base: string, tag: string): Promise<void> {
  const context = join(work, 'processor-image');
  const processor = join(context, 'processor');
  await pnpmDeploy('@nucleon/processor', processor);
  for (const plugin of ['runtime-node', 'trigger-http']) {
    // A plugin's peer @nucleon/core then resolves from the processor's node_modules.
    await pnpmDeploy(`@nucleon/${plugin}`, join(processor, 'node_modules', '@nucleon', plugin));
  }
  await writeFile(join(context, 'Dockerfile'), [
    `FROM ${base}`,
    `COPY processor ${PROCESSOR_DIR}`,
    `ENV NUCLEON_PLUGIN_PATHS=${PROCESSOR_DIR}`,
    '',
  ].join('\n'));
  await dockerBuild(context, tag);
}

async function pnpmDeploy(pkg: string, target: string): Promise<void> {
  // --prefer-offline: everything comes from the local store; --offline alone lacks metadata.
  await run('pnpm', ['--filter', pkg, 'deploy', '--prod', '--prefer-offline', target], { cwd: REPO_ROOT, maxBuffer: 16 << 20 });
}

async function dockerBuild(context: string, tag: string): Promise<void> {
  await run('docker', ['build', '--network', 'host', '-q', '-t', tag, context], {
    env: { ...process.env, DOCKER_BUILDKIT: '0' },
    maxBuffer: 16 << 20,
  });
}

/** `tar -C dir -c . | docker <args>`, failing with both commands' stderr. */
function pipeToDocker(dir: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const tar = spawn('tar', ['-C', dir, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const docker = spawn('docker', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    tar.stdout.pipe(docker.stdin);
    let errors = '';
    tar.stderr.on('data', (d: Buffer) => (errors += d));
    docker.stderr.on('data', (d: Buffer) => (errors += d));
    docker.on('error', reject);
    docker.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker ${args.join(' ')} failed (${code}): ${errors}`))));
  });
}
