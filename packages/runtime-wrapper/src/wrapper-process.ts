import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createError, ErrorCodes, type Logger } from '@nucleon/core';
import { waitAtMost } from './timing.js';

/** How a wrapper process ended. */
export interface WrapperExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WrapperProcessOptions {
  /** For messages: `python`, `go`, ... */
  name: string;
  command: string;
  args: string[];
  cwd: string;
  /** The complete environment of the process, socket variable excepted (added here). */
  env: Record<string, string | undefined>;
  /** Receives each stdout line at info, each stderr line at warn. */
  logger: Logger;
}

const STDERR_TAIL_LINES = 20;

/** "exited with code 3", "was killed by SIGKILL". */
export function describeExit(exit: WrapperExit): string {
  return exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/**
 * One wrapper OS process and the private Unix socket it connects to. Listens in a fresh
 * 0700 temp directory, spawns the command, relays its stdout/stderr line by line, keeps the
 * last stderr lines for error messages, accepts exactly one connection and knows when the
 * process has exited. Kills only by its own pid.
 */
export class WrapperProcess {
  /** Resolves once the process has exited (or failed to spawn). */
  readonly exited: Promise<WrapperExit>;
  /** Resolves once stdout and stderr have ended, so the stderr tail is complete. */
  readonly outputEnded: Promise<void>;
  exit: WrapperExit | undefined;
  /** Why spawning failed (ENOENT ...), if it did. */
  spawnError: Error | undefined;
  private readonly stderrTail: string[] = [];
  private readonly connection: Promise<Socket>;

  private constructor(
    private readonly options: WrapperProcessOptions,
    private readonly dir: string,
    private readonly server: Server,
    readonly child: ChildProcess,
  ) {
    this.connection = new Promise<Socket>((resolve, reject) => {
      server.once('connection', (socket) => {
        server.on('connection', (extra: Socket) => extra.destroy()); // exactly one connection
        this.cleanup(); // nobody else may connect: stop listening, remove the socket directory now
        resolve(socket);
      });
      server.once('error', reject);
    });
    this.connection.catch(() => undefined);
    this.exited = new Promise<WrapperExit>((resolve) => {
      child.once('exit', (code, signal) => resolve(this.exit ??= { code, signal }));
      child.once('error', (err) => {
        if (child.pid !== undefined) return; // not a spawn failure; the exit event still comes
        this.spawnError = err;
        resolve(this.exit ??= { code: null, signal: null });
      });
    });
    void this.exited.then(() => this.closeServer());
    this.outputEnded = Promise.all([this.relay(child.stdout, 'stdout'), this.relay(child.stderr, 'stderr')]).then(() => undefined);
  }

  /** Listens on a fresh socket in a private (0700) temp directory, then spawns the wrapper pointed at it. */
  static async spawn(options: WrapperProcessOptions): Promise<WrapperProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'nucleon-wrapper-')); // mkdtemp creates it 0700
    const socketPath = join(dir, 'wrapper.sock');
    const server = createServer();
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
    } catch (cause) {
      rmSync(dir, { recursive: true, force: true });
      throw createError(ErrorCodes.WRAPPER_START, `cannot listen on ${socketPath} for wrapper ${options.name}: ${(cause as Error).message}`, { cause });
    }
    const child = spawn(options.command, options.args, {
      cwd: options.cwd, env: { ...options.env, NUCLEON_WRAPPER_SOCKET: socketPath }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WrapperProcess(options, dir, server, child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The one connection, once the wrapper has made it. */
  accept(): Promise<Socket> {
    return this.connection;
  }

  /** The last stderr lines, oldest first, for error messages. */
  stderrLines(): string[] {
    return [...this.stderrTail];
  }

  /** What went wrong, for a start failure: the exit or spawn error and the stderr tail. */
  describeEnd(): string {
    const how = this.spawnError ? `could not be started (${this.spawnError.message})` : this.exit ? describeExit(this.exit) : 'is running';
    const tail = this.stderrTail.length > 0 ? `; last stderr lines:\n${this.stderrTail.join('\n')}` : '; it wrote nothing to stderr';
    return `wrapper ${this.options.name} (${this.options.command}, pid ${this.pid ?? 'none'}) ${how}${tail}`;
  }

  /** SIGKILL by pid, if still running. */
  kill(): void {
    if (this.exit === undefined && this.child.pid !== undefined) {
      try {
        process.kill(this.child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Waits up to `graceMs` for the process to exit, then kills it and waits for the exit. */
  async waitOrKill(graceMs: number): Promise<WrapperExit> {
    if (this.exit) return this.exit;
    await waitAtMost(this.exited, graceMs);
    this.kill();
    return this.exited;
  }

  /** Stops listening and removes the socket directory; safe to call more than once. */
  cleanup(): void {
    this.closeServer();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private closeServer(): void {
    if (this.server.listening) this.server.close();
  }

  private relay(stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr'): Promise<void> {
    if (!stream) return Promise.resolve();
    const lines = createInterface({ input: stream, crlfDelay: Infinity });
    lines.on('line', (line) => {
      const fields = { stream: name, wrapperPid: this.pid };
      if (name === 'stdout') {
        this.options.logger.infoWith(line, fields);
      } else {
        this.options.logger.warnWith(line, fields);
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
      }
    });
    return new Promise((resolve) => lines.once('close', resolve));
  }
}

/** The WRAPPER_START error for a process that ended (or never started) before READY. */
export function endedBeforeReady(process: WrapperProcess): Error {
  return createError(ErrorCodes.WRAPPER_START, `${process.describeEnd()}`, {
    details: { exitCode: process.exit?.code, signal: process.exit?.signal, stderr: process.stderrLines() },
  });
}
