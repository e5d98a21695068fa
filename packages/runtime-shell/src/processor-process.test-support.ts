import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// A small mirror of packages/processor/test/support/processor-process.ts (which lies outside
// this package's tsconfig): the built processor binary, started on free loopback ports.

/** The processor binary, resolved from this package's dev dependency, as a platform would. */
export const PROCESSOR_MAIN = fileURLToPath(import.meta.resolve('@nucleon/processor/main'));

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

/** Writes files (relative path -> content) into a fresh temp directory. */
export function functionDir(files: Record<string, string | Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'nucleon-shell-fn-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

export interface StartedProcessor {
  child: ChildProcess;
  url: string;
  /** Everything the processor printed so far (stdout and stderr). */
  output(): string;
  /** Parsed JSON log lines from stdout. */
  logLines(): Array<Record<string, unknown>>;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `node main.js --config <dir>/function.yaml --function-dir <dir>`; with `waitReady`, resolves once /ready says 200. */
export async function startProcessor(dir: string, options: { env?: Record<string, string>; waitReady?: boolean } = {}): Promise<StartedProcessor> {
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
  const started: StartedProcessor = {
    child,
    url: `http://127.0.0.1:${httpPort}`,
    output: () => stdout + stderr,
    logLines: () => stdout.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
  if (options.waitReady === false) return started;
  const until = Date.now() + 15_000;
  while (Date.now() < until && child.exitCode === null) {
    try {
      if ((await fetch(`http://127.0.0.1:${adminPort}/ready`)).status === 200) return started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  await started.stop('SIGKILL');
  throw new Error(`processor did not become ready:\n${started.output()}`);
}
