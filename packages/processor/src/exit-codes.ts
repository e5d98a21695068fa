/**
 * The processor's exit statuses, so a platform (and a person reading `get`) can tell why it
 * ended. Documented in docs/processor.md; keep the two in step.
 */
export const ExitCodes = {
  /** Drained and stopped after SIGTERM/SIGINT. */
  OK: 0,
  /** Failed to start (bad configuration, plugin or handler), or the drain deadline passed. */
  FAILED: 1,
  /** Bad command line or environment. */
  USAGE: 2,
  /** An exception escaped the function's code outside any event (a timer, an emitter). */
  UNCAUGHT_EXCEPTION: 70,
  /** The event-loop watchdog found the loop blocked past its bound and ended the process. */
  LOOP_BLOCKED: 75,
  /** SIGINT while starting. */
  SIGINT_DURING_START: 130,
  /** SIGTERM while starting. */
  SIGTERM_DURING_START: 143,
} as const;
