import { createError, ErrorCodes, type Context, type Event, type Response, type RuntimeWorker } from '@nucleon/core';
import type { WrapperSupervisor } from './wrapper-supervisor.js';

/**
 * One pool worker's handle on a wrapper: its own (per-worker sharing) or the runtime's
 * shared one. `close()` is what the pool calls after an eventTimeout and at shutdown.
 */
export class WrapperWorker implements RuntimeWorker {
  private closing: Promise<void> | undefined;

  constructor(
    private readonly supervisor: WrapperSupervisor,
    private readonly shared: boolean,
    private readonly onClosed: () => void,
  ) {}

  /** The pid of the wrapper serving this worker now, when one is READY. */
  get wrapperPid(): number | undefined {
    return this.supervisor.pid;
  }

  handle(event: Event, context: Context): Promise<Response> {
    return this.supervisor.submit(event, context.logger, this);
  }

  /**
   * With one of its events on the wrapper (an eventTimeout), kills the wrapper at once
   * (SIGKILL), as the protocol's "kill and replace" asks; a shared wrapper is then
   * replaced for the other workers. An idle worker's own wrapper is stopped gracefully
   * (DRAIN, TERMINATE, bounded), since the processor closes workers before `Runtime.stop()`;
   * an idle worker leaves a shared wrapper running.
   */
  close(): Promise<void> {
    return this.closing ??= this.shutDown().finally(this.onClosed);
  }

  private async shutDown(): Promise<void> {
    const closed = createError(ErrorCodes.WRAPPER_CRASHED, 'the worker was closed while its event waited for the wrapper');
    this.supervisor.cancelQueued(this, closed);
    const busy = this.supervisor.busy(this);
    const reason = 'its worker was closed with an event in flight (eventTimeout)';
    if (this.shared) {
      if (busy) this.supervisor.replace(reason);
    } else if (busy) {
      await this.supervisor.kill(createError(ErrorCodes.WRAPPER_CRASHED, `wrapper killed: ${reason}`));
    } else {
      await this.supervisor.stop('worker closed');
    }
  }
}
