import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { processStartTime } from './liveness.js';
import { readyAnswers } from './ready-probe.js';
import { LogLineSplitter } from './log-line-splitter.js';
import { groupMembers } from './process-group.js';
import { RestartBackoff } from './restart-backoff.js';
import { RotatingLog } from './rotating-log.js';
import type { SupervisorOptions } from './supervisor-options.js';
import { writeSupervisorState, type ProcessorExit, type SupervisorState } from './supervisor-state.js';

/** How often a starting processor's /ready is polled. */
const READY_POLL_MS = 100;
/** What V8 prints when the heap reached --max-old-space-size. */
const HEAP_OOM = /heap out of memory|Reached heap limit/;

/** How a supervisor ended: the exit it passes on to whoever started it. */
export type SupervisorEnd = { code: number | null; signal: NodeJS.Signals | null };

/**
 * Runs one function's processor and keeps it running: its stdout and stderr become capped
 * lines of the rotated log; once it has been ready, a processor that dies (crash, kill -9,
 * the memory limit, the processor's own event-loop watchdog) is started again after a backoff;
 * one that dies before its first ready is not, and {@link run} resolves with its exit so the
 * deploy reports it. SIGTERM is passed on, and {@link run} resolves once the processor is gone.
 */
export class Supervisor {
  private readonly log: RotatingLog;
  private readonly backoff: RestartBackoff;
  private state: SupervisorState;
  private child: ChildProcess | undefined;
  private stopping = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly options: SupervisorOptions, private readonly processorArgs: readonly string[]) {
    this.log = new RotatingLog(options.logFile, { maxBytes: options.limits.logMaxBytes, keep: options.limits.logFiles });
    this.backoff = new RestartBackoff(options.limits.backoff);
    this.state = { supervisorPid: process.pid, state: 'starting', restarts: 0 };
  }

  /** Passes SIGTERM on to the processor and stops restarting it. */
  stop(): void {
    this.stopping = true;
    this.child?.kill('SIGTERM');
    this.wakeUp?.();
  }

  async run(): Promise<SupervisorEnd> {
    let everReady = false;
    try {
      for (;;) {
        const startedAt = Date.now();
        const { exit, ready, memoryExceeded, heapExhausted } = await this.runOnce();
        everReady ||= ready;
        if (this.stopping || !everReady) return exit;
        // The function's folder was removed under us (wiped state, a delete that lost track): nothing to restart for.
        if (!existsSync(this.options.runDir)) return exit;
        const reason = memoryExceeded ? 'memory limit exceeded' : heapExhausted ? 'memory limit exceeded (the Node heap reached its cap)' : undefined;
        const delayMs = this.backoff.next(Date.now() - startedAt);
        const lastExit: ProcessorExit = { code: exit.code, signal: exit.signal, at: new Date().toISOString(), ...(reason ? { reason } : {}) };
        this.state = {
          ...this.state, state: 'restarting', processorPid: undefined, processorStartTime: undefined,
          restarts: this.state.restarts + 1, lastExit, nextRestartAt: new Date(Date.now() + delayMs).toISOString(),
        };
        this.saveState();
        this.note('error', `processor exited (${describeExit(exit)}${reason ? `: ${reason}` : ''}); restart ${this.state.restarts} in ${delayMs} ms`,
          { code: exit.code, signal: exit.signal, restarts: this.state.restarts, delayMs, ...(reason ? { reason } : {}) });
        await this.pause(delayMs);
        if (this.stopping) return { code: 0, signal: null };
      }
    } finally {
      this.log.close();
    }
  }

  /** Starts the processor once and resolves when it is gone and its output is written. */
  private runOnce(): Promise<{ exit: SupervisorEnd; ready: boolean; memoryExceeded: boolean; heapExhausted: boolean }> {
    const { node, nodeArgs, cwd, limits } = this.options;
    const child = spawn(node, [...nodeArgs, ...this.processorArgs], { cwd, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let ready = false;
    let memoryExceeded = false;
    let heapExhausted = false;
    const splitter = (): LogLineSplitter => new LogLineSplitter(
      { maxLineBytes: limits.logLineMaxBytes, idleFlushMs: limits.logIdleFlushMs },
      (line) => {
        if (HEAP_OOM.test(line)) heapExhausted = true;
        this.log.writeLine(line);
      });
    const out = splitter();
    const err = splitter();
    child.stdout!.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr!.on('data', (chunk: Buffer) => err.push(chunk));
    if (child.pid) {
      this.state = { ...this.state, state: 'starting', processorPid: child.pid, processorStartTime: processStartTime(child.pid), nextRestartAt: undefined };
      this.saveState();
    }
    const readyPoll = setInterval(() => {
      void readyAnswers(this.options.adminPort, READY_POLL_MS * 4).then((ok) => {
        if (!ok || ready || this.child !== child) return;
        ready = true;
        clearInterval(readyPoll);
        this.state = { ...this.state, state: 'ready' };
        this.saveState();
      });
    }, READY_POLL_MS);
    const memoryWatch = this.options.memoryLimitBytes === undefined ? undefined : setInterval(() => {
      const members = groupMembers(process.pid, process.pid);
      const rss = members.reduce((sum, m) => sum + m.rssBytes, 0);
      if (memoryExceeded || rss <= this.options.memoryLimitBytes!) return;
      memoryExceeded = true;
      this.note('error', `memory limit exceeded: the processor's processes use ${mib(rss)} MiB of ${mib(this.options.memoryLimitBytes!)} MiB (spec.resources.limits.memory); killing them`,
        { rssBytes: rss, limitBytes: this.options.memoryLimitBytes });
      for (const { pid } of members) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Exited meanwhile.
        }
      }
    }, limits.memoryPollMs);
    return new Promise((resolve) => {
      let exit: SupervisorEnd = { code: null, signal: null };
      child.once('error', (error) => {
        this.note('error', `the processor could not be started: ${error.message}`, {});
        exit = { code: 127, signal: null };
      });
      child.once('exit', (code, signal) => {
        exit = { code, signal };
      });
      // 'close' comes after both pipes drained: every line the processor wrote is in the log.
      child.once('close', (code, signal) => {
        clearInterval(readyPoll);
        if (memoryWatch) clearInterval(memoryWatch);
        out.flush();
        err.flush();
        if (exit.code === null && exit.signal === null) exit = { code, signal };
        resolve({ exit, ready, memoryExceeded, heapExhausted });
      });
    });
  }

  /** Sleeps out a backoff; {@link stop} cuts it short. */
  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => resolve(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
  }

  private saveState(): void {
    try {
      writeSupervisorState(this.options.runDir, this.state);
    } catch (error) {
      // A run folder removed under us (a delete in progress) is no reason to stop supervising.
      this.note('warn', `could not record the supervisor state: ${(error as Error).message}`, {});
    }
  }

  /** One structured line of the supervisor's own in the processor log. */
  private note(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown>): void {
    this.log.writeLine(JSON.stringify({ time: new Date().toISOString(), level, name: 'supervisor', msg, ...fields }));
  }
}

function describeExit(exit: SupervisorEnd): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

function mib(bytes: number): number {
  return Math.round(bytes / (1024 * 1024));
}
