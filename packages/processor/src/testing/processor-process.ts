import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findFreePort } from '@nucleon/core';

/** The built processor binary the tests run, exactly as users and platforms do. */
export const PROCESSOR_MAIN = fileURLToPath(import.meta.resolve('@nucleon/processor/main'));

/** A free loopback port (bind port 0, read it, release it). */
export const freePort: () => Promise<number> = findFreePort;

/** Writes files (relative path -> content) into a fresh temp directory. */
export function functionDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nucleon-fn-'));
  writeFiles(dir, files);
  return dir;
}

/** Writes files (relative path -> content) under `dir`, creating directories as needed. */
export function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

export interface StartedProcessor {
  child: ChildProcess;
  url: string;
  adminUrl: string;
  /** Everything the processor printed so far (stdout and stderr). */
  output(): string;
  /** Parsed JSON log lines from stdout. */
  logLines(): Array<Record<string, unknown>>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  /** Milliseconds from spawn to /ready answering 200 (undefined when not waited for). */
  readyAfterMs: number | undefined;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface StartProcessorOptions {
  env?: Record<string, string>;
  /** Wait for /ready (default true); a processor that exits or overruns the wait is an error. */
  waitReady?: boolean;
  /** How long to wait for /ready (default 15 s; a first Go compile needs minutes). */
  readyTimeoutMs?: number;
  /** Extra command-line arguments. */
  args?: string[];
  /** Pass no --config/--function-dir (configuration from the environment). */
  noConfigFile?: boolean;
}

/** Processors started here and still running; killed when the test process exits, so a failing test leaks none. */
const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

/** Spawns the processor on free ports; with `waitReady`, resolves once /ready says 200. */
export async function startProcessor(dir: string, options: StartProcessorOptions = {}): Promise<StartedProcessor> {
  const [httpPort, adminPort] = [await freePort(), await freePort()];
  const spawnedAt = Date.now();
  const configArgs = options.noConfigFile ? [] : ['--config', join(dir, 'function.yaml'), '--function-dir', dir];
  const child = spawn(process.execPath, [PROCESSOR_MAIN, ...configArgs, ...(options.args ?? [])], {
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
  live.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => {
    live.delete(child);
    resolve(code);
  }));
  const started: StartedProcessor = {
    child,
    url: `http://127.0.0.1:${httpPort}`,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    output: () => stdout + stderr,
    logLines: () => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    readyAfterMs: undefined,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady !== false) {
    await waitReady(started, options.readyTimeoutMs ?? 15_000);
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

/** A function.yaml for a Node handler with one HTTP trigger. */
export function functionYaml(options: { name?: string; runtime?: string; handler?: string; eventTimeout?: string; trigger?: string } = {}): string {
  return [
    'apiVersion: nuclio.io/v1',
    'kind: NuclioFunction',
    'metadata:',
    `  name: ${options.name ?? 'test-fn'}`,
    'spec:',
    `  runtime: ${options.runtime ?? 'nodejs'}`,
    `  handler: ${options.handler ?? 'main:handler'}`,
    ...(options.eventTimeout ? [`  eventTimeout: ${options.eventTimeout}`] : []),
    ...(options.trigger ? ['  triggers:', options.trigger] : []),
    '',
  ].join('\n');
}
