import type { RuntimeCreateOptions } from '@nucleon/core';

/** How to start one wrapper process. */
export interface WrapperLaunch {
  /** Executable to spawn (`python3`, or a compiled binary's path). */
  command: string;
  args: string[];
  /**
   * Extra environment. The host also sets `NUCLEON_WRAPPER_SOCKET`, `NUCLEON_HANDLER`,
   * `NUCLEON_FUNCTION_DIR`, `NUCLEON_FUNCTION_NAME`, `NUCLEON_WORKER_ID`,
   * `NUCLEON_TRIGGER_NAME` and `NUCLEON_TRIGGER_KIND`, on top of `spec.env` and the
   * processor's own environment (these entries override both; the NUCLEON_* ones win).
   */
  env?: Record<string, string>;
  /** Working directory; default: the function directory. */
  cwd?: string;
}

/** How wrappers are shared: one per worker (the default), or one for every worker of the runtime. */
export type WrapperSharing = 'per-worker' | 'shared';

/** What a language runtime (Python, Go, ...) tells the host about its wrapper. */
export interface WrapperRuntimeSpec {
  /** `python`, `go`, ...: for logs and messages. */
  name: string;
  /** Runs once, in `Runtime.start()` (compile, check the interpreter); throw coded errors (NUCLEON_ERR_RUNTIME_BUILD). */
  prepare?(options: RuntimeCreateOptions): Promise<void>;
  /** How to start one wrapper process; called for every start, restarts included. */
  launch(options: RuntimeCreateOptions): WrapperLaunch;
  /** HELLO..READY deadline in ms; default 10000. */
  startTimeoutMs?: number;
  /**
   * Default sharing for this runtime; default `per-worker`. Overridden by the function's
   * `spec.runtimeAttributes.wrapperSharing`, and that by the `NUCLEON_WRAPPER_SHARING` env.
   */
  sharing?: WrapperSharing;
}
