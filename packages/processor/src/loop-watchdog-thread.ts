/**
 * The source of the event-loop watchdog's thread, run with `new Worker(source, { eval: true })`.
 * It is a string, not a module, so it needs no separate build entry and runs the same from
 * `src/` under vitest and from `dist/` in the binary; it only uses Node built-ins.
 *
 * Shared cells (Int32Array over a SharedArrayBuffer):
 *   [0] heartbeat: the main loop adds 1 every `heartbeatMs`
 *   [1] blocks: how many times this thread found the loop blocked past the bound
 *   [2] longest: the longest block it measured (at least that long), in milliseconds
 *
 * The thread times the silence with its own monotonic clock, so wall-clock steps never look
 * like a block. The main loop cannot log while blocked, hence `writeSync(2, ...)` from here;
 * and it cannot run `process.exit` either, so the thread asks the main isolate through an
 * in-process inspector session: V8 serves inspector messages by interrupting running
 * JavaScript, so `process.exit(code)` runs even inside a `while (true) {}`. Where that cannot
 * happen (the loop is stuck in native code, such as `execSync`), SIGKILL follows after
 * `killAfterMs`: a process that is PID 1 of its PID namespace ignores it, which is why the
 * Docker platform runs an init process (`HostConfig.Init`) above the processor.
 */
export const LOOP_WATCHDOG_THREAD_SOURCE = String.raw`
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const { buffer, blockedAfterMs, checkEveryMs, exitOnBlock, exitCode, killAfterMs, functionName } = workerData;
const cells = new Int32Array(buffer);
let seen = Atomics.load(cells, 0);
let since = performance.now();
let reported = false;

function line(level, msg, fields) {
  const record = { level, time: new Date().toISOString(), function: functionName, component: 'loop-watchdog', msg, ...fields };
  try { writeSync(2, JSON.stringify(record) + '\n'); } catch {}
}

function exitProcess() {
  try {
    const { Session } = require('node:inspector');
    const session = new Session();
    session.connectToMainThread();
    session.post('Runtime.evaluate', { expression: 'process.exit(' + exitCode + ')' });
  } catch (err) {
    line('error', 'event-loop watchdog could not reach the main thread; killing the process', { error: String(err && err.message || err) });
    process.kill(process.pid, 'SIGKILL');
  }
  setTimeout(() => {
    line('error', 'event loop still blocked (in native code?) ' + killAfterMs + ' ms after the exit was asked; killing the process', {});
    process.kill(process.pid, 'SIGKILL');
  }, killAfterMs).unref();
}

setInterval(() => {
  const beat = Atomics.load(cells, 0);
  const now = performance.now();
  if (beat !== seen) {
    if (reported) {
      const blockedMs = Math.round(now - since) - checkEveryMs;
      Atomics.store(cells, 2, Math.max(Atomics.load(cells, 2), blockedMs));
      line('warn', 'event loop unblocked', { blockedMs });
    }
    seen = beat;
    since = now;
    reported = false;
    return;
  }
  // The last beat came up to one period before the loop blocked: only a silence of bound +
  // period proves a block of at least the bound, and that lower bound is what is reported.
  const blockedMs = Math.round(now - since) - checkEveryMs;
  if (reported || blockedMs < blockedAfterMs) return;
  reported = true;
  Atomics.add(cells, 1, 1);
  Atomics.store(cells, 2, Math.max(Atomics.load(cells, 2), blockedMs));
  line('error', exitOnBlock
    ? 'event loop blocked past the bound (a handler that never yields?); exiting so the platform restarts the processor'
    : 'event loop blocked past the bound (a handler that never yields?); nothing is served until it yields',
    { blockedMs, boundMs: blockedAfterMs, ...(exitOnBlock ? { exitCode } : {}) });
  if (exitOnBlock) exitProcess();
}, checkEveryMs);
`;
