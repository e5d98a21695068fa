import { EventEmitter } from 'node:events';

/** One step of a deploy as the `/deployment` stream shows it. */
export type DeployEvent =
  | { type: 'progress'; message: string; at: string }
  | { type: 'done'; status: unknown }
  | { type: 'failed'; error: string };

/** The state of one function's current or last deploy. */
export interface DeployRecord {
  state: 'running' | 'succeeded' | 'failed';
  startedAt: string;
  error?: string;
  /** The newest events; `dropped` older ones were let go. */
  events: DeployEvent[];
  dropped: number;
}

/** Keeps the newest progress lines only, so a chatty build cannot grow memory without bound. */
const MAX_EVENTS = 500;

/**
 * One deploy per function name at a time (single flight), with each deploy's history kept so
 * a stream opened late replays what happened before following it.
 */
export class DeployTracker {
  readonly #records = new Map<string, DeployRecord>();
  readonly #emitter = new EventEmitter().setMaxListeners(0);

  get(name: string): DeployRecord | undefined {
    return this.#records.get(name);
  }

  /** Every name with a deploy record (a first deploy is listed before the platform knows it). */
  names(): string[] {
    return [...this.#records.keys()];
  }

  isRunning(name: string): boolean {
    return this.#records.get(name)?.state === 'running';
  }

  /** Claims the name; false when a deploy of it already runs. Synchronous, so two requests cannot both win. */
  begin(name: string): boolean {
    if (this.isRunning(name)) return false;
    this.#records.set(name, { state: 'running', startedAt: new Date().toISOString(), events: [], dropped: 0 });
    return true;
  }

  progress(name: string, message: string): void {
    this.#push(name, { type: 'progress', message, at: new Date().toISOString() });
  }

  succeed(name: string, status: unknown): void {
    const r = this.#records.get(name);
    if (r) r.state = 'succeeded';
    this.#push(name, { type: 'done', status });
  }

  fail(name: string, error: string): void {
    const r = this.#records.get(name);
    if (r) {
      r.state = 'failed';
      r.error = error;
    }
    this.#push(name, { type: 'failed', error });
  }

  /** Forgets a deleted function's history. */
  forget(name: string): void {
    this.#records.delete(name);
  }

  /**
   * Replays the record's events then follows new ones, ending after `done`/`failed` or when
   * `signal` aborts. Yields nothing when the name was never deployed here.
   */
  async *follow(name: string, signal?: AbortSignal): AsyncGenerator<DeployEvent> {
    const record = this.#records.get(name);
    if (!record) return;
    let seen = 0; // events yielded or dropped, counted from the deploy's first
    while (!signal?.aborted) {
      for (;;) {
        // A slow reader may fall behind the kept window: it skips to the oldest event kept.
        seen = Math.max(seen, record.dropped);
        const e = record.events[seen - record.dropped];
        if (!e) break;
        seen += 1;
        yield e;
        if (e.type !== 'progress') return;
      }
      await new Promise<void>((resolve) => {
        const wake = (): void => {
          this.#emitter.off(name, wake);
          signal?.removeEventListener('abort', wake);
          resolve();
        };
        this.#emitter.on(name, wake);
        signal?.addEventListener('abort', wake);
      });
    }
  }

  #push(name: string, event: DeployEvent): void {
    const r = this.#records.get(name);
    if (!r) return;
    r.events.push(event);
    if (r.events.length > MAX_EVENTS) r.dropped += r.events.splice(0, r.events.length - MAX_EVENTS).length;
    this.#emitter.emit(name);
  }
}
