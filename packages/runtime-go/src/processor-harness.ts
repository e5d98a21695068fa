// Test support for the integration tests: starts the real processor binary on a Go function.
// It mirrors packages/processor/test/support/processor-process.ts (which lies outside this
// package's rootDir) and adds what Go needs: a long readiness wait for a first compile, a
// private build cache, and a node_modules link so the processor resolves @nucleon/runtime-go.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The built processor, run exactly as users and platforms do. */
export const PROCESSOR_MAIN = join(PACKAGE_DIR, '..', 'processor', 'dist', 'main.js');

/** A free loopback port (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A temp root holding function directories, a Go build cache, and
 * `node_modules/@nucleon/runtime-go` linked to this package: the processor finds runtime
 * plugins in node_modules above the function directory.
 */
export interface GoTestRoot {
  root: string;
  cacheDir: string;
  /** Writes files (relative path -> content) into a fresh function directory under the root. */
  functionDir(files: Record<string, string | Buffer>): string;
  remove(): void;
}

export function createGoTestRoot(): GoTestRoot {
  const root = mkdtempSync(join(tmpdir(), 'nucleon-go-it-'));
  mkdirSync(join(root, 'node_modules', '@nucleon'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(root, 'node_modules', '@nucleon', 'runtime-go'), 'dir');
  const cacheDir = join(root, 'go-build-cache');
  let count = 0;
  return {
    root,
    cacheDir,
    functionDir(files) {
      const dir = join(root, `fn-${count++}`);
      for (const [name, content] of Object.entries(files)) {
        mkdirSync(dirname(join(dir, name)), { recursive: true });
        writeFileSync(join(dir, name), content);
      }
      return dir;
    },
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

/** A function.yaml for a Go handler. */
export function goFunctionYaml(options: { name?: string; handler?: string | null; eventTimeout?: string; numWorkers?: number } = {}): string {
  return [
    'apiVersion: nuclio.io/v1',
    'kind: NuclioFunction',
    'metadata:',
    `  name: ${options.name ?? 'go-fn'}`,
    'spec:',
    '  runtime: golang',
    ...(options.handler === null ? [] : [`  handler: ${options.handler ?? 'main:Handler'}`]),
    ...(options.eventTimeout ? [`  eventTimeout: ${options.eventTimeout}`] : []),
    ...(options.numWorkers ? ['  triggers:', '    web:', '      kind: http', `      numWorkers: ${options.numWorkers}`] : []),
    '',
  ].join('\n');
}

export interface StartedProcessor {
  child: ChildProcess;
  url: string;
  adminUrl: string;
  /** Milliseconds from spawn to /ready answering 200 (undefined when not waited for). */
  readyAfterMs: number | undefined;
  /** Everything the processor printed so far (stdout and stderr). */
  output(): string;
  /** Parsed JSON log lines from stdout. */
  logLines(): Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns the processor on free ports; with `waitReady` (default), resolves once /ready says 200. */
export async function startProcessor(dir: string, options: { cacheDir: string; waitReady?: boolean; readyTimeoutMs?: number; env?: Record<string, string> }): Promise<StartedProcessor> {
  const [httpPort, adminPort] = [await freePort(), await freePort()];
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [PROCESSOR_MAIN, '--config', join(dir, 'function.yaml'), '--function-dir', dir], {
    env: {
      ...process.env, NUCLEON_HTTP_PORT: String(httpPort), NUCLEON_HTTP_HOST: '127.0.0.1', NUCLEON_ADMIN_PORT: String(adminPort),
      NUCLEON_ADMIN_HOST: '127.0.0.1', NUCLEON_LOG_LEVEL: 'info', NUCLEON_GO_CACHE_DIR: options.cacheDir, ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const started: StartedProcessor = {
    child,
    url: `http://127.0.0.1:${httpPort}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    readyAfterMs: undefined,
    output: () => stdout + stderr,
    logLines: () => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady !== false) {
    await waitReady(started, options.readyTimeoutMs ?? 240_000);
    started.readyAfterMs = Date.now() - spawnedAt;
  }
  return started;
}

async function waitReady(p: StartedProcessor, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  let exitedEarly = false;
  void p.exited.then(() => { exitedEarly = true; });
  while (Date.now() < until && !exitedEarly) {
    try {
      const res = await fetch(`${p.adminUrl}/ready`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await p.stop('SIGKILL');
  throw new Error(`processor did not become ready:\n${p.output()}`);
}
