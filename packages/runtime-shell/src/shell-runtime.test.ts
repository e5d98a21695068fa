import { afterAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCodes, Response, validateFunctionConfig, type Context, type Event } from '@nucleon/core';
import { createTestEvent, InMemoryLogger, noPlatform } from '@nucleon/core/testing';
import shellRuntimePlugin, { ShellRuntime, type ShellWorker } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'nucleon-shell-rt-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;

/** A started runtime for a fresh function directory holding `main.sh` (mode 755 unless told). */
async function runtimeFor(script: string, spec: Record<string, unknown> = {}, mode = 0o755) {
  counter += 1;
  const dir = join(root, `fn-${counter}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(dir, 'main.sh'), script);
  chmodSync(join(dir, 'main.sh'), mode);
  const { config } = validateFunctionConfig({ metadata: { name: 'shell-fn' }, spec: { runtime: 'shell', handler: 'main.sh', ...spec } });
  const logger = new InMemoryLogger();
  const runtime = new ShellRuntime({ function: config, functionDir: dir, logger });
  await runtime.start();
  const context: Context = { logger, userData: {}, Response, callback() {}, workerId: 0, functionName: 'shell-fn', triggerName: 'web', platform: noPlatform };
  const worker = (await runtime.createWorker(context)) as ShellWorker;
  const run = (event: Partial<Omit<Event, 'body'>> & { body?: Buffer | string } = {}) => worker.handle(createTestEvent(event), context);
  return { dir, runtime, worker, logger, run };
}

/** True while `pid` runs a program (a zombie has an empty command line). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

async function waitForFile(path: string, timeoutMs = 5000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8').trim();
      if (text !== '') return text;
    }
    await sleep(20);
  }
  throw new Error(`${path} did not appear`);
}

describe('ShellRuntime: responses', () => {
  it('is a runtime plugin for core ^0.1.0', () => {
    expect(shellRuntimePlugin).toMatchObject({ kind: 'runtime', name: '@nucleon/runtime-shell', coreRange: '^0.1.0' });
  });

  it('pipes the body through byte for byte and answers 200 text/plain', async () => {
    const { run } = await runtimeFor('#!/bin/sh\nexec cat\n');
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const response = await run({ body: Buffer.concat([bytes, bytes]) });
    expect(response).toMatchObject({ statusCode: 200, contentType: 'text/plain; charset=utf-8', headers: {} });
    expect(Buffer.compare(response.body as Buffer, Buffer.concat([bytes, bytes]))).toBe(0);
  });

  it('lets the handler reopen /dev/stdin (Nuclio\'s `rev /dev/stdin`), leaving no body file behind', async () => {
    const { run } = await runtimeFor('#!/bin/sh\nrev /dev/stdin\nreadlink /proc/self/fd/0\n');
    const [reversed, stdinPath] = String((await run({ body: 'reverse-me\n' })).body).split('\n');
    expect(reversed).toBe('em-esrever');
    expect(stdinPath).toMatch(/nucleon-shell-stdin-.* \(deleted\)$/);
    expect(existsSync(stdinPath!.replace(/ \(deleted\)$/, ''))).toBe(false);
    expect(String((await run({ body: '' })).body)).toBe('/dev/null\n');
  });

  it('runs a non-executable script with /bin/sh, in the function directory', async () => {
    const { run, dir } = await runtimeFor('pwd; rev\n', {}, 0o644);
    expect(String((await run({ body: 'abc\n' })).body)).toBe(`${dir}\ncba\n`);
  });

  it('passes the configured arguments and responseHeaders, and the event as environment', async () => {
    const { run } = await runtimeFor('#!/bin/sh\necho "$#:$1-$2|$NUCLIO_EVENT_METHOD $NUCLEON_EVENT_PATH $NUCLEON_EVENT_HEADER_X_TRACE $ENV1 $NUCLIO_FUNCTION_NAME"\n', {
      runtimeAttributes: { arguments: 'first second', responseHeaders: { header1: 'value1', 'content-type': 'application/x-thing' } },
      env: [{ name: 'ENV1', value: 'value1' }],
    });
    const response = await run({ method: 'PATCH', path: '/p', headers: { 'x-trace': 't-1' } });
    expect(String(response.body)).toBe('2:first-second|PATCH /p t-1 value1 shell-fn\n');
    expect(response).toMatchObject({ headers: { header1: 'value1' }, contentType: 'application/x-thing' });
  });

  it('ignores X-Nuclio-Arguments unless the function allows it', async () => {
    const script = '#!/bin/sh\necho "$*"\n';
    const closed = await runtimeFor(script, { runtimeAttributes: { arguments: 'default' } });
    expect(String((await closed.run({ headers: { 'x-nuclio-arguments': '-rf /' } })).body)).toBe('default\n');
    const open = await runtimeFor(script, { runtimeAttributes: { arguments: 'default', allowArgumentsHeader: true } });
    expect(String((await open.run({ headers: { 'x-nuclio-arguments': 'over ridden $(x)' } })).body)).toBe('over ridden $(x)\n');
    expect(String((await open.run()).body)).toBe('default\n');
  });

  it('hands shell metacharacters in body, headers and arguments over as data, never as commands', async () => {
    const marker = join(root, `pwned-${process.pid}`);
    const evil = `$(touch ${marker}) \`touch ${marker}\` ; touch ${marker} | touch ${marker} && touch ${marker} 'q' "dq" \n$HOME`;
    const { run } = await runtimeFor('#!/bin/sh\ncat; printf "|%s" "$NUCLEON_EVENT_HEADER_X_EVIL" "$1"\n', {
      runtimeAttributes: { arguments: [`;touch ${marker}`], allowArgumentsHeader: false },
    });
    const response = await run({ body: evil, headers: { 'x-evil': evil.replace('\n', ' ') } });
    expect(String(response.body)).toBe(`${evil}|${evil.replace('\n', ' ')}|;touch ${marker}`);
    expect(existsSync(marker)).toBe(false);
  });

  it('copes with a handler that never reads its stdin', async () => {
    const { run } = await runtimeFor('#!/bin/sh\necho ignored\n');
    expect(String((await run({ body: Buffer.alloc(4 * 1024 * 1024, 'x') })).body)).toBe('ignored\n');
  });
});

describe('ShellRuntime: failures and stderr', () => {
  it('logs stderr lines at warn with the event id, also when the handler succeeds', async () => {
    const { run, logger } = await runtimeFor('#!/bin/sh\necho "warn one" >&2\nprintf "no newline" >&2\necho out\n');
    expect(String((await run({ id: 'ev-ok' })).body)).toBe('out\n');
    const lines = logger.records.filter((r) => r.message === 'handler stderr');
    expect(lines.map((r) => [r.level, r.fields.eventId, r.fields.line])).toEqual([
      ['warn', 'ev-ok', 'warn one'], ['warn', 'ev-ok', 'no newline'],
    ]);
  });

  it('rejects a non-zero exit with HANDLER_FAILED carrying the exit code and stderr tail', async () => {
    const { run } = await runtimeFor('#!/bin/sh\necho partial\necho "bad input: $(cat)" >&2\nexit 3\n');
    const err = await run({ body: 'nope' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.HANDLER_FAILED, details: { exitCode: 3 } });
    expect((err as Error).message).toMatch(/main\.sh exited with code 3; stderr: bad input: nope$/);
  });

  it('kills a run whose stdout passes maxResponseSize and fails it with RESPONSE_TOO_LARGE; output up to the bound is sent', async () => {
    const pidFile = join(root, `big-${counter}.pid`);
    const { run } = await runtimeFor(`#!/bin/sh\necho $$ > ${pidFile}\nif [ "$(cat)" = big ]; then exec yes; fi\nhead -c 1000 /dev/zero\n`,
      { runtimeAttributes: { maxResponseSize: 1000 } });
    expect((await run({ body: 'exact' })).body).toHaveLength(1000);
    const began = Date.now();
    const err = await run({ body: 'big' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ErrorCodes.RESPONSE_TOO_LARGE, details: { limit: 1000 } });
    expect((err as Error).message).toMatch(/main\.sh wrote more than 1000 bytes to stdout \(runtimeAttributes\.maxResponseSize\); it was killed/);
    expect(Date.now() - began).toBeLessThan(5000);
    expect(running(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  it('names the signal when the handler is killed', async () => {
    const { run } = await runtimeFor('#!/bin/sh\nkill -9 $$\n');
    await expect(run()).rejects.toThrow(/was killed by SIGKILL \(no stderr output\)/);
  });

  it('rejects with HANDLER_FAILED when the interpreter cannot be started', async () => {
    const { run } = await runtimeFor('#!/nonexistent/interpreter\n', {}, 0o644);
    await expect(run()).rejects.toMatchObject({ code: ErrorCodes.HANDLER_FAILED, message: expect.stringMatching(/cannot run .*ENOENT/) });
  });

  it('refuses a missing handler at start with HANDLER_NOT_FOUND, and bad attributes with INVALID_CONFIG', async () => {
    const { config } = validateFunctionConfig({ metadata: { name: 'x' }, spec: { runtime: 'shell', handler: 'missing-handler.sh:main' } });
    await expect(new ShellRuntime({ function: config, functionDir: root, logger: new InMemoryLogger() }).start())
      .rejects.toMatchObject({ code: ErrorCodes.HANDLER_NOT_FOUND });
    await expect(runtimeFor('#!/bin/sh\n', { runtimeAttributes: { responseHeaders: 'nope' } }))
      .rejects.toMatchObject({ code: ErrorCodes.INVALID_CONFIG });
  });
});

describe('ShellRuntime: timeouts and stop', () => {
  const hanging = (pids: string) => `#!/bin/sh\nsleep 30 &\necho $! > ${pids}.child\necho $$ > ${pids}.main\nwait\n`;

  it('close() kills the hung handler and what it started, and a later event still runs on a fresh worker', async () => {
    const pids = join(root, `hang-${counter + 1}`);
    const { worker, run, runtime } = await runtimeFor(hanging(pids));
    const result = run().catch((e: unknown) => e);
    const [main, child] = [Number(await waitForFile(`${pids}.main`)), Number(await waitForFile(`${pids}.child`))];
    expect(worker.pid).toBe(main);
    expect(running(main) && running(child)).toBe(true);
    await worker.close();
    expect(running(main)).toBe(false);
    await expect.poll(() => running(child)).toBe(false);
    expect(await result).toMatchObject({ code: ErrorCodes.HANDLER_FAILED, message: expect.stringContaining('SIGKILL') });
    expect(worker.pid).toBeUndefined();
    await expect(worker.handle(createTestEvent(), {} as Context)).rejects.toThrow(/after close/);
    await runtime.stop();
  });

  it('close() also kills a background process that keeps the output open after the handler exited', async () => {
    const pids = join(root, `bg-${counter + 1}`);
    const { worker, run } = await runtimeFor(`#!/bin/sh\nsleep 30 &\necho $! > ${pids}.child\necho started\n`);
    const result = run();
    const child = Number(await waitForFile(`${pids}.child`));
    expect(await Promise.race([result.then(() => 'settled'), sleep(200).then(() => 'pending')])).toBe('pending');
    await worker.close();
    expect(running(child)).toBe(false);
    expect(String((await result).body)).toBe('started\n');
  });

  it('stop() kills handlers still running', async () => {
    const pids = join(root, `stop-${counter + 1}`);
    const { run, runtime } = await runtimeFor(hanging(pids));
    const result = run().catch((e: unknown) => e);
    const main = Number(await waitForFile(`${pids}.main`));
    await runtime.stop();
    expect(running(main)).toBe(false);
    expect(await result).toMatchObject({ code: ErrorCodes.HANDLER_FAILED });
  });
});
