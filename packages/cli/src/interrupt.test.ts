import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { exitCodeFor, formatError } from './errors.js';
import { InterruptedError, watchInterrupts, type SignalSource } from './interrupt.js';

class Exited extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** A process stand-in: signals are emitted by the test, exit throws so the test sees it. */
function fakeProcess(): SignalSource & EventEmitter & { exits: number[] } {
  const emitter = new EventEmitter() as EventEmitter & SignalSource & { exits: number[] };
  emitter.exits = [];
  emitter.exit = (code: number): never => {
    emitter.exits.push(code);
    throw new Exited(code);
  };
  return emitter;
}

function emit(proc: EventEmitter, signal: string): void {
  try {
    proc.emit(signal);
  } catch (err) {
    if (!(err instanceof Exited)) throw err;
  }
}

describe('watchInterrupts', () => {
  it('aborts the work on the first SIGINT, waits for it to stop, then throws for exit 130', async () => {
    const proc = fakeProcess();
    const lines: string[] = [];
    const interrupts = watchInterrupts('stopping the deployment', proc, (l) => lines.push(l));
    let seen: AbortSignal | undefined;
    const work = interrupts.during((signal) => {
      seen = signal;
      return new Promise((_, reject) => signal.addEventListener('abort', () => setTimeout(() => reject(new Error('stopped')), 10)));
    });
    emit(proc, 'SIGINT');
    expect(seen?.aborted).toBe(true);
    expect(lines).toEqual(['interrupted: stopping the deployment (again to exit at once)\n']);
    const err = await work.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InterruptedError);
    expect(exitCodeFor(err)).toBe(130);
    expect(formatError(err)).toBe('');
    expect(proc.exits).toEqual([]);
    interrupts.dispose();
    expect(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')).toBe(0);
  });

  it('exits 143 for SIGTERM, and says the work finished when it ignored the abort', async () => {
    const proc = fakeProcess();
    const interrupts = watchInterrupts('stopping the deployment', proc, () => undefined);
    let finish: (v: string) => void = () => undefined;
    const work = interrupts.during(() => new Promise<string>((resolve) => (finish = resolve)));
    emit(proc, 'SIGTERM');
    finish('deployed');
    const err = (await work.catch((e: unknown) => e)) as InterruptedError;
    expect(err.exitCode).toBe(143);
    expect(err.finished).toBe(true);
  });

  it('exits at once on a second signal, with the first signal\'s status', async () => {
    const proc = fakeProcess();
    const interrupts = watchInterrupts('stopping the deployment', proc, () => undefined);
    void interrupts.during(() => new Promise(() => undefined));
    emit(proc, 'SIGINT');
    emit(proc, 'SIGTERM');
    expect(proc.exits).toEqual([130]);
  });

  it('exits at once when nothing is in progress, and passes results and errors through otherwise', async () => {
    const proc = fakeProcess();
    const lines: string[] = [];
    const interrupts = watchInterrupts('stopping the deployment', proc, (l) => lines.push(l));
    await expect(interrupts.during(async () => 'ok')).resolves.toBe('ok');
    await expect(interrupts.during(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    emit(proc, 'SIGTERM');
    expect(proc.exits).toEqual([143]);
    expect(lines).toEqual(['interrupted\n']);
  });
});
