import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCESSOR_MAIN, startProcessor } from '../src/testing/index.js';

// Proves that a plugin living outside the workspace works: examples/trigger-ticker is packed
// with npm, installed into a function directory like any npm dependency, and loaded by the
// real processor binary by its package name.

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const TICKER_DIR = join(REPO, 'examples/trigger-ticker');
const BODY = 'tick-from-outside';

let workDir: string;
let tarball: string;

beforeAll(async () => {
  if (!existsSync(PROCESSOR_MAIN)) throw new Error(`${PROCESSOR_MAIN} is missing; run \`pnpm -r build\` first`);
  workDir = await mkdtemp(join(tmpdir(), 'nucleon-external-plugin-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', TICKER_DIR, '--pack-destination', workDir, '--json'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })) as Array<{ filename: string }>;
  tarball = join(workDir, packed[0]!.filename);
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** A function directory with the ticker installed from the tarball and a handler that records each body. */
async function createFunctionDir(name: string): Promise<{ dir: string; received: string }> {
  const dir = join(workDir, name);
  await mkdir(dir);
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  // --offline: the tarball has no dependencies (core is an optional peer), so nothing is fetched.
  execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--offline'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const received = join(dir, 'received.txt');
  await writeFile(join(dir, 'main.js'), `
import { appendFileSync } from 'node:fs';

export function handler(context, event) {
  const body = event.body.toString();
  context.logger.info('handler got ' + body);
  appendFileSync(${JSON.stringify(received)}, body + '\\n');
  return 'ok';
}
`);
  const config = join(dir, 'function.yaml');
  await writeFile(config, `apiVersion: nuclio.io/v1
kind: NuclioFunction
metadata:
  name: ${name}
spec:
  runtime: nodejs
  handler: main:handler
  triggers:
    ticks:
      kind: nucleon-trigger-ticker
      attributes:
        intervalMs: 50
        body: ${BODY}
`);
  return { dir, received };
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, output: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; processor output:\n${output()}`);
}

async function receivedBodies(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a third-party trigger plugin installed from an npm tarball', () => {
  it('is loaded by package name, feeds the handler, and stops cleanly on SIGTERM', async () => {
    const fn = await createFunctionDir('ticker-fn');
    const proc = await startProcessor(fn.dir);
    try {
      await waitFor('three ticks at the handler', async () => (await receivedBodies(fn.received)).length >= 3, 10_000, proc.output);

      proc.child.kill('SIGTERM');
      expect(await within(proc.exited, 15_000, 'processor exit after SIGTERM')).toBe(0);
    } finally {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    }

    const bodies = await receivedBodies(fn.received);
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    expect(new Set(bodies)).toEqual(new Set([BODY]));

    const lines = proc.logLines();
    expect(lines.some((l) => l.msg === `handler got ${BODY}`)).toBe(true);
    // A clean stop loses no tick: nothing submitted after stop, in-flight ones finished.
    expect(lines.filter((l) => l.msg === 'tick failed')).toEqual([]);
  });

  it('is refused with NUCLEON_ERR_PLUGIN_CORE_RANGE when its coreRange excludes this core', async () => {
    const fn = await createFunctionDir('ticker-future-core');
    const entry = join(fn.dir, 'node_modules/nucleon-trigger-ticker/index.js');
    const source = await readFile(entry, 'utf8');
    expect(source).toContain("coreRange: '^0.1.0'");
    await writeFile(entry, source.replace("coreRange: '^0.1.0'", "coreRange: '^99.0.0'"));

    const proc = await startProcessor(fn.dir, { waitReady: false });
    try {
      const code = await within(proc.exited, 20_000, 'processor exit');
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
    } finally {
      if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
    }
    expect(proc.output()).toContain('NUCLEON_ERR_PLUGIN_CORE_RANGE');
    expect(proc.output()).toContain('^99.0.0');
    expect(await receivedBodies(fn.received)).toEqual([]);
  });
});
