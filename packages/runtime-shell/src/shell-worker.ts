import { spawn, type ChildProcess } from 'node:child_process';
import type { FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { createError, ErrorCodes, Response, type Context, type Event, type RuntimeWorker } from '@nucleon/core';
import { eventEnv } from './event-env.js';
import type { HandlerCommand } from './handler-command.js';
import { splitArguments, type ShellOptions } from './shell-options.js';
import { openBodyAsStdin } from './stdin-file.js';

/** Everything a worker needs that is the same for every event. */
export interface ShellWorkerSetup {
  command: HandlerCommand;
  options: ShellOptions;
  /** The function's environment; each event's variables are added to a copy. */
  env: Record<string, string>;
  /** Working directory of every run (the function directory). */
  cwd: string;
}

/** How much of stderr an error message quotes. */
const STDERR_TAIL_CHARS = 2048;
/** A stderr "line" longer than this is logged in pieces rather than held back. */
const MAX_LINE_CHARS = 8192;
/** How long close() waits for a killed process group to let go of its output. */
const KILL_WAIT_MS = 2000;

/**
 * One worker: forks the handler once per event, the body on stdin, stdout as the response.
 * Never through a shell: the command and arguments go to execve as an array and event data
 * travels only on stdin and in environment values, so nothing in it is ever parsed as a
 * command. Each run is its own process group, so close() kills a hung script together with
 * whatever it started.
 */
export class ShellWorker implements RuntimeWorker {
  private running: ChildProcess | undefined;
  private closed = false;

  /** `onClose` runs once, when the worker is closed (the runtime stops tracking it). */
  constructor(private readonly setup: ShellWorkerSetup, private readonly onClose?: () => void) {}

  /** Pid of the process running the current event, if one runs. */
  get pid(): number | undefined {
    return this.running?.pid;
  }

  async handle(event: Event, context: Context): Promise<Response> {
    if (this.closed) throw new Error('ShellWorker.handle called after close()');
    const { command } = this.setup;
    const args = [...command.leadingArgs, ...this.argumentsFor(event)];
    const env = eventEnv(event, this.setup.env);
    let stdin: FileHandle | undefined;
    try {
      stdin = event.body.length > 0 ? await openBodyAsStdin(event.body) : undefined;
    } catch (cause) {
      throw failed(`cannot hand the event body to ${command.handlerPath}: ${(cause as Error).message}`, cause);
    }
    try {
      // close() may have come while the body was being written: then nothing must start.
      if (this.closed) throw failed(`${command.handlerPath} was not started: the worker was closed`);
      return await this.run(args, env, stdin?.fd, event, context);
    } finally {
      await stdin?.close();
    }
  }

  private run(args: string[], env: Record<string, string>, stdinFd: number | undefined, event: Event, context: Context): Promise<Response> {
    const { command, options, cwd } = this.setup;
    return new Promise<Response>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(command.file, args, {
          cwd, env, stdio: [stdinFd ?? 'ignore', 'pipe', 'pipe'], shell: false, detached: true, windowsHide: true,
        });
      } catch (cause) {
        reject(failed(`cannot run ${command.handlerPath}: ${(cause as Error).message}`, cause));
        return;
      }
      this.running = child;
      let stdout: Buffer[] = [];
      let stdoutBytes = 0;
      let overflowed = false;
      const stderr = new StderrCollector(context, event);
      let spawnError: Error | undefined;

      child.stdout?.on('data', (chunk: Buffer) => {
        if (overflowed) return;
        stdoutBytes += chunk.length;
        if (options.maxResponseSize > 0 && stdoutBytes > options.maxResponseSize) {
          // Past the bound nothing more is kept: the run is killed and its output dropped now.
          overflowed = true;
          stdout = [];
          killGroup(child);
          return;
        }
        stdout.push(chunk);
      });
      child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.once('error', (err) => { spawnError = err; });
      child.once('close', (code, signal) => {
        if (this.running === child) this.running = undefined;
        stderr.flush();
        if (spawnError) {
          reject(failed(`cannot run ${command.handlerPath}: ${spawnError.message}`, spawnError));
        } else if (overflowed) {
          reject(createError(ErrorCodes.RESPONSE_TOO_LARGE,
            `${command.handlerPath} wrote more than ${options.maxResponseSize} bytes to stdout (runtimeAttributes.maxResponseSize); it was killed`,
            { details: { limit: options.maxResponseSize } }));
        } else if (code === 0) {
          resolve(new Response({
            body: Buffer.concat(stdout), headers: { ...options.responseHeaders }, contentType: options.contentType, statusCode: 200,
          }));
        } else {
          const how = code === null ? `was killed by ${signal ?? 'a signal'}` : `exited with code ${code}`;
          const tail = stderr.tail();
          reject(failed(`${command.handlerPath} ${how}${tail ? `; stderr: ${tail}` : ' (no stderr output)'}`, undefined,
            { exitCode: code, signal }));
        }
      });
    });
  }

  /**
   * Kills the running event's process group (SIGKILL) and waits, briefly, until its output
   * is closed. The group is killed even when the handler itself has exited, since something
   * it left in the background may still hold its stdout open.
   */
  async close(): Promise<void> {
    if (!this.closed) this.onClose?.();
    this.closed = true;
    const child = this.running;
    if (!child || child.pid === undefined) return;
    const gone = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, KILL_WAIT_MS);
      child.once('close', () => { clearTimeout(timer); resolve(); });
    });
    killGroup(child);
    await gone;
  }

  private argumentsFor(event: Event): string[] {
    if (this.setup.options.allowArgumentsHeader) {
      const header = event.headers['x-nuclio-arguments'];
      const value = Array.isArray(header) ? header[0] : header;
      if (value) return splitArguments(value);
    }
    return this.setup.options.arguments;
  }
}

function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // No group (already reaped, or not a group leader): the process itself, at least.
    child.kill('SIGKILL');
  }
}

function failed(message: string, cause?: unknown, details?: Record<string, unknown>) {
  return createError(ErrorCodes.HANDLER_FAILED, message, { cause, details });
}

/** Logs stderr line by line at warn, with the event id, and keeps its last bytes for the error message. */
class StderrCollector {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private last = '';

  constructor(private readonly context: Context, private readonly event: Event) {}

  push(chunk: Buffer): void {
    this.add(this.decoder.write(chunk));
  }

  flush(): void {
    this.add(this.decoder.end());
    if (this.partial !== '') this.log(this.partial);
    this.partial = '';
  }

  private add(text: string): void {
    if (text === '') return;
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.log(line);
    if (this.partial.length > MAX_LINE_CHARS) {
      this.log(this.partial);
      this.partial = '';
    }
    this.last = (this.last + text).slice(-STDERR_TAIL_CHARS);
  }

  tail(): string {
    return this.last.trim();
  }

  private log(line: string): void {
    this.context.logger.warnWith('handler stderr', { eventId: this.event.id, line: line.replace(/\r$/, '') });
  }
}
