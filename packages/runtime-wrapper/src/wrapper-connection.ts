import type { Socket } from 'node:net';
import { createError, ErrorCodes, isNucleonError, type ContextPlatform, type Event, type Logger, type Response } from '@nucleon/core';
import { batchingUnsupported, encodeBatchFrame } from './batch-codec.js';
import { encodeEventFrame } from './event-codec.js';
import type { AckListener } from './explicit-ack.js';
import { CALL_CAPABILITY, decodeCall, runCall } from './function-calls.js';
import { encodeFrame, encodeJsonFrame, FrameDecoder, FrameType, frameTypeName, type Frame } from './frame-codec.js';
import { chooseVersion, fatalError, noCommonVersion, parseHello, type WrapperHello, type WrapperWelcome } from './handshake.js';
import { InFlightEvents } from './in-flight-events.js';
import { relayLog, relayMetric } from './log-relay.js';
import { waitAtMost } from './timing.js';
import { describeExit, endedBeforeReady, WrapperProcess, type WrapperProcessOptions } from './wrapper-process.js';

export interface WrapperConnectionOptions extends WrapperProcessOptions {
  welcome: Omit<WrapperWelcome, 'version'>;
  /** HELLO..READY deadline, counted from the spawn. */
  startTimeoutMs: number;
  /** An ACK frame arrived for this event (still in flight); `logger` is the one its LOG frames go to. */
  onAck?: AckListener | undefined;
  /** Where CALL frames go (the worker's `context.platform`); without it WELCOME offers no `call` capability. */
  platform?: ContextPlatform | undefined;
}

type Phase = 'hello' | 'starting' | 'ready' | 'draining' | 'closed';

/** How long a closed socket waits for the exit status (and vice versa) before the crash is reported without it. */
const END_SETTLE_MS = 200;
const DRAIN_MS = 2000;
const EXIT_MS = 2000;
/** How long a wrapper that sent FATAL may take to exit on its own (flushing its stderr) before it is killed. */
const FATAL_EXIT_MS = 500;

/**
 * One started wrapper: the handshake (HELLO, WELCOME, READY or FATAL), then events
 * multiplexed by frame id, answered in any order. Anything that ends it on its own (exit,
 * closed socket, garbage) rejects every event in flight with WRAPPER_CRASHED at once, kills
 * the process and calls `onBroken`; `kill()` and `stop()` end it on purpose, without `onBroken`.
 */
export class WrapperConnection {
  hello: WrapperHello | undefined;
  /** performance.now() at READY. */
  readyAt = 0;
  /** Called once when the wrapper ends on its own after READY. */
  onBroken: ((error: Error) => void) | undefined;
  private phase: Phase = 'hello';
  private stopping = false;
  private ending = false;
  private socket: Socket | undefined;
  private socketClosed: Promise<void> | undefined;
  private failure: Error | undefined;
  private readonly inFlight: InFlightEvents;
  private readonly decoder = new FrameDecoder();
  private readonly ready: Promise<void>;
  private settleReady: { resolve(): void; reject(error: Error): void } = { resolve() {}, reject() {} };
  private onDrained: (() => void) | undefined;

  private constructor(private readonly options: WrapperConnectionOptions, readonly process: WrapperProcess) {
    this.inFlight = new InFlightEvents(options.logger, options.onAck);
    this.ready = new Promise<void>((resolve, reject) => { this.settleReady = { resolve, reject }; });
    const timer = setTimeout(() => this.fail(createError(ErrorCodes.WRAPPER_START,
      `wrapper ${options.name} (pid ${process.pid}) did not become ready in ${options.startTimeoutMs} ms`,
      { details: { stderr: process.stderrLines() } })), options.startTimeoutMs);
    void this.ready.then(() => clearTimeout(timer), () => clearTimeout(timer));
    void process.exited.then(() => this.onEnd());
    process.accept().then((socket) => this.attach(socket), (cause: Error) => this.fail(createError(ErrorCodes.WRAPPER_START,
      `wrapper ${options.name}: socket failed before the wrapper connected: ${cause.message}`, { cause })));
  }

  /** Spawns a wrapper and resolves once it is READY; rejects with a coded error (and leaves nothing running) otherwise. */
  static async open(options: WrapperConnectionOptions, signal?: AbortSignal): Promise<WrapperConnection> {
    signal?.throwIfAborted();
    const connection = new WrapperConnection(options, await WrapperProcess.spawn(options));
    const abort = () => connection.fail(createError(ErrorCodes.SHUTTING_DOWN, `wrapper ${options.name}: start abandoned, the runtime is stopping`));
    if (signal?.aborted) abort();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      await connection.ready;
      return connection;
    } catch (error) {
      await connection.process.exited; // nothing is left running after a failed start
      throw error;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Events sent and not yet answered. */
  get load(): number {
    return this.inFlight.size;
  }

  /** How many events the wrapper runs at once (its HELLO `maxInFlight`). */
  get capacity(): number {
    return this.hello?.maxInFlight ?? 1;
  }

  /** True while events may be sent. */
  get accepting(): boolean {
    return this.phase === 'ready';
  }

  /** Sends one event (or a batch carrier, as one EVENT_BATCH); resolves with its RESPONSE, rejects on ERROR (HANDLER_FAILED) or when the wrapper ends. */
  send(event: Event, logger: Logger): Promise<Response> {
    if (this.phase !== 'ready') {
      return Promise.reject(this.failure ?? createError(ErrorCodes.WRAPPER_CRASHED, `wrapper ${this.options.name} is not accepting events`));
    }
    if (event.batch && !this.hello?.batching) return Promise.reject(batchingUnsupported(this.options.name));
    let frame: Buffer;
    try {
      // The id is patched in below, once the frame is known to fit.
      frame = event.batch ? encodeBatchFrame(0, event) : encodeEventFrame(0, event);
    } catch (cause) {
      return Promise.reject(createError(ErrorCodes.BODY_TOO_LARGE,
        `event ${event.id} does not fit in one frame (64 MiB): ${(cause as Error).message}`, { cause }));
    }
    const { id, answer } = this.inFlight.add(event, logger);
    frame.writeUInt32BE(id, 5);
    this.socket?.write(frame);
    return answer;
  }

  /** Ends it now: SIGKILL, in-flight events rejected with `error`; no `onBroken`. */
  kill(error: Error): void {
    this.fail(error, true);
  }

  /** Ends it gracefully: DRAIN, DRAINED (at most 2 s), TERMINATE, exit (at most 2 s), else SIGKILL. */
  async stop(reason: string): Promise<void> {
    this.stopping = true;
    if (this.phase === 'ready') {
      this.phase = 'draining';
      const drained = new Promise<void>((resolve) => { this.onDrained = resolve; });
      this.socket?.write(encodeFrame(FrameType.DRAIN, 0));
      await waitAtMost(drained, DRAIN_MS);
    }
    if (this.phase !== 'closed') this.socket?.write(encodeJsonFrame(FrameType.TERMINATE, 0, { reason }));
    await this.process.waitOrKill(EXIT_MS);
    this.fail(createError(ErrorCodes.SHUTTING_DOWN, `wrapper ${this.options.name} stopped: ${reason}`), true);
  }

  private attach(socket: Socket): void {
    if (this.phase === 'closed') {
      socket.destroy();
      return;
    }
    this.socket = socket;
    this.socketClosed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => undefined); // 'close' follows and reports it
    void this.socketClosed.then(() => this.onEnd());
  }

  private receive(chunk: Buffer): void {
    try {
      for (const frame of this.decoder.push(chunk)) {
        if (this.phase === 'closed') return;
        this.dispatch(frame);
      }
    } catch (err) {
      this.fail(err as Error);
    }
  }

  private dispatch(frame: Frame): void {
    const { type, payload } = frame;
    if (this.phase === 'hello') {
      if (type !== FrameType.HELLO) throw this.unexpected(frame, 'HELLO first');
      this.welcome(payload);
    } else if (this.phase === 'starting') {
      if (type === FrameType.READY) {
        this.phase = 'ready';
        this.readyAt = performance.now();
        this.settleReady.resolve();
      } else if (type === FrameType.FATAL) this.fail(fatalError(payload), false, FATAL_EXIT_MS);
      else if (type === FrameType.CALL) this.call(frame);
      else if (type === FrameType.LOG && frame.id === 0) relayLog(this.options.logger, payload, undefined);
      else if (type === FrameType.METRIC && frame.id === 0) relayMetric(this.options.logger, payload, undefined);
      else throw this.unexpected(frame, 'READY, FATAL, CALL, or LOG/METRIC with id 0 before READY');
    } else if (type === FrameType.DRAINED) {
      this.onDrained?.();
    } else if (type === FrameType.CALL) {
      this.call(frame);
    } else if (type === FrameType.FATAL) {
      const fatal = fatalError(payload);
      this.fail(createError(ErrorCodes.WRAPPER_CRASHED, `wrapper ${this.options.name} (pid ${this.pid}) reported a fatal error: ${fatal.message}`, { cause: fatal }));
    } else if (!this.inFlight.handle(frame)) {
      throw this.unexpected(frame, 'RESPONSE, RESPONSE_BATCH, ERROR, LOG, METRIC, ACK, CALL or DRAINED');
    }
  }

  /** A handler calls another function: the processor makes the request and answers with CALL_RESULT (same id). */
  private call(frame: Frame): void {
    const { platform, logger } = this.options;
    if (!platform || frame.id === 0) throw this.unexpected(frame, platform ? 'a CALL id other than 0' : 'no CALL: the call capability was not offered');
    const call = decodeCall(frame.payload);
    void runCall(platform, frame.id, call, (reply) => {
      if (this.phase !== 'closed') this.socket?.write(reply);
    }, logger);
  }

  private welcome(payload: Buffer): void {
    const hello = this.hello = parseHello(payload);
    const version = chooseVersion(hello.versions);
    if (version === undefined) {
      const reason = noCommonVersion(this.options.name, hello.versions);
      this.socket?.write(encodeJsonFrame(FrameType.TERMINATE, 0, { reason }));
      this.fail(createError(ErrorCodes.WRAPPER_PROTOCOL, reason, { details: { versions: hello.versions } }));
      return;
    }
    this.phase = 'starting';
    const capabilities = this.options.platform ? [CALL_CAPABILITY] : [];
    this.socket?.write(encodeJsonFrame(FrameType.WELCOME, 0, { version, ...this.options.welcome, capabilities }));
  }

  private unexpected(frame: Frame, expected: string): Error {
    return createError(ErrorCodes.WRAPPER_PROTOCOL,
      `unexpected ${frameTypeName(frame.type)} frame (id ${frame.id}) in phase ${this.phase}; expected ${expected}`,
      { details: { bytes: frame.payload.subarray(0, 64).toString('hex') } });
  }

  /** The process exited or the socket closed: wait briefly for the other, so the error can name the exit status. */
  private async onEnd(): Promise<void> {
    if (this.phase === 'closed' || this.ending) return;
    this.ending = true;
    await waitAtMost(Promise.all([this.process.exited, this.socketClosed, this.process.outputEnded]), END_SETTLE_MS);
    const phase = this.phase as Phase;
    if (phase === 'closed') return; // a FATAL or garbage read meanwhile said more
    const starting = phase === 'hello' || phase === 'starting';
    const { name } = this.options;
    const exit = this.process.exit;
    const how = exit ? describeExit(exit) : 'closed its connection';
    if (starting) {
      this.fail(exit ? endedBeforeReady(this.process)
        : createError(ErrorCodes.WRAPPER_START, `wrapper ${name} (pid ${this.pid}) closed its connection before it was ready`));
      return;
    }
    this.fail(createError(ErrorCodes.WRAPPER_CRASHED, `wrapper ${name} (pid ${this.pid}) ${how}`,
      { details: { exitCode: exit?.code, signal: exit?.signal } }));
  }

  /** Ends the connection once: logs garbage, kills, rejects the start or the events in flight, reports the crash. */
  private fail(error: Error, intentional = false, killAfterMs = 0): void {
    if (this.phase === 'closed') return;
    const started = this.phase === 'ready' || this.phase === 'draining';
    this.phase = 'closed';
    const { name, logger } = this.options;
    if (isNucleonError(error, ErrorCodes.WRAPPER_PROTOCOL)) {
      logger.errorWith('wrapper broke the protocol; killing it', {
        code: error.code, error: error.message, bytes: error.details.bytes, wrapperPid: this.pid, runtime: name,
      });
    }
    if (killAfterMs > 0) void this.process.waitOrKill(killAfterMs);
    else this.process.kill();
    this.socket?.destroy();
    this.process.cleanup();
    this.onDrained?.();
    if (!started) {
      this.failure = error;
      this.settleReady.reject(error);
      return;
    }
    const crash = isNucleonError(error, ErrorCodes.WRAPPER_PROTOCOL)
      ? createError(ErrorCodes.WRAPPER_CRASHED, `wrapper ${name} (pid ${this.pid}) broke the protocol: ${error.message}`, { cause: error })
      : error;
    this.failure = crash;
    this.inFlight.rejectAll(crash);
    if (!intentional && !this.stopping) this.onBroken?.(crash);
  }
}
