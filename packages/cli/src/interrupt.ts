/** The exit status of a command a signal stopped, as a shell reports it: 128 + the signal's number. */
export const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** The signals that interrupt a command. */
export type InterruptSignal = keyof typeof SIGNAL_EXIT_CODES;

/** Thrown once an interrupted command has stopped what it started; the CLI exits with `exitCode`. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  readonly exitCode: (typeof SIGNAL_EXIT_CODES)[InterruptSignal];

  /**
   * @param signal the signal that interrupted the command.
   * @param finished true when the interrupted work completed anyway (it ignored the abort).
   */
  constructor(readonly signal: InterruptSignal, readonly finished = false) {
    super(`interrupted by ${signal}`);
    this.exitCode = SIGNAL_EXIT_CODES[signal];
  }
}

/** What {@link watchInterrupts} needs of the process (a fake in unit tests). */
export interface SignalSource {
  on(event: InterruptSignal, listener: () => void): unknown;
  off(event: InterruptSignal, listener: () => void): unknown;
  exit(code: number): never;
}

/** A command's handle on SIGINT and SIGTERM. */
export interface Interrupts {
  /**
   * Runs `work` with a signal that aborts on the first SIGINT/SIGTERM, then waits for `work`
   * to settle (it stops what it started) and throws {@link InterruptedError}, whether `work`
   * rejected or still finished (then with `finished` set). Outside `during`, the first signal
   * exits at once: nothing needs stopping.
   */
  during<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Removes the listeners. */
  dispose(): void;
}

/**
 * Catches SIGINT and SIGTERM for a command that starts something (a deployment): the first
 * prints `interrupted: <what>` on stderr and aborts the work in progress; a second exits at
 * once. The exit status is 130 for SIGINT, 143 for SIGTERM.
 */
export function watchInterrupts(what: string, proc: SignalSource = process, write = (line: string): void => {
  process.stderr.write(line);
}): Interrupts {
  let received: InterruptSignal | undefined;
  let current: AbortController | undefined;
  const listeners = (Object.keys(SIGNAL_EXIT_CODES) as InterruptSignal[]).map((signal) => {
    const listener = (): void => {
      if (received !== undefined || current === undefined) {
        if (received === undefined) write('interrupted\n');
        proc.exit(SIGNAL_EXIT_CODES[received ?? signal]);
      }
      received = signal;
      write(`interrupted: ${what} (again to exit at once)\n`);
      current?.abort(new InterruptedError(signal));
    };
    proc.on(signal, listener);
    return { signal, listener };
  });
  return {
    async during<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
      current = new AbortController();
      try {
        const result = await work(current.signal);
        if (received !== undefined) throw new InterruptedError(received, true);
        return result;
      } catch (err) {
        if (err instanceof InterruptedError) throw err;
        if (received !== undefined) throw new InterruptedError(received);
        throw err;
      } finally {
        current = undefined;
      }
    },
    dispose(): void {
      for (const { signal, listener } of listeners) proc.off(signal, listener);
    },
  };
}
