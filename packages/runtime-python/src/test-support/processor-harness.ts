import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Test support for the integration tests: the real processor binary, started on free
// loopback ports with a function directory that has this package installed in its
// node_modules, exactly where a user would install it.

const PACKAGE_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const PROCESSOR_MAIN = join(PACKAGE_DIR, '..', 'processor', 'dist', 'main.js');

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

/** A function.yaml for a Python handler; `extra` lines go under `spec:`. */
export function pythonYaml(options: { runtime?: string; handler?: string; eventTimeout?: string; numWorkers?: number; extra?: string[] } = {}): string {
  return [
    'apiVersion: nuclio.io/v1',
    'kind: NuclioFunction',
    'metadata:',
    '  name: py-fn',
    'spec:',
    `  runtime: ${options.runtime ?? 'python:3.11'}`,
    `  handler: ${options.handler ?? 'main:handler'}`,
    ...(options.eventTimeout ? [`  eventTimeout: ${options.eventTimeout}`] : []),
    ...(options.extra ?? []),
    '  triggers:',
    '    web:',
    '      kind: http',
    `      numWorkers: ${options.numWorkers ?? 1}`,
    '',
  ].join('\n');
}

/** A temp function directory holding `files`, with @nucleon/runtime-python installed (a symlink). */
export function functionDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nucleon-py-fn-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  mkdirSync(join(dir, 'node_modules', '@nucleon'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(dir, 'node_modules', '@nucleon', 'runtime-python'), 'dir');
  return dir;
}

export interface RunningProcessor {
  child: ChildProcess;
  url: string;
  adminUrl: string;
  output(): string;
  logLines(): Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export async function startProcessor(dir: string, options: { env?: Record<string, string>; waitReady?: boolean } = {}): Promise<RunningProcessor> {
  const [httpPort, adminPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [PROCESSOR_MAIN, '--config', join(dir, 'function.yaml'), '--function-dir', dir], {
    env: {
      ...process.env, NUCLEON_HTTP_PORT: String(httpPort), NUCLEON_HTTP_HOST: '127.0.0.1', NUCLEON_ADMIN_PORT: String(adminPort),
      NUCLEON_ADMIN_HOST: '127.0.0.1', NUCLEON_LOG_LEVEL: 'info', ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const running: RunningProcessor = {
    child,
    url: `http://127.0.0.1:${httpPort}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    output: () => stdout + stderr,
    logLines: () => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  if (options.waitReady === false) return running;
  let ended = false;
  void exited.then(() => { ended = true; });
  const until = Date.now() + 30_000;
  while (Date.now() < until && !ended) {
    try {
      if ((await fetch(`${running.adminUrl}/ready`)).status === 200) return running;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!ended) child.kill('SIGKILL');
  throw new Error(`processor did not become ready:\n${running.output()}`);
}

/** Polls until `check` returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
