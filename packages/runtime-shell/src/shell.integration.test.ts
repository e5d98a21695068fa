import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { functionDir, PROCESSOR_MAIN, startProcessor, type StartedProcessor } from '@nucleon/processor/testing';

// The real processor binary runs `runtime: shell` functions, exactly as a user's would run.
// The processor finds @nucleon/runtime-shell through NUCLEON_PLUGIN_PATHS, as it would find
// any runtime package installed next to a function.

const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
let pluginRoot: string;
const started: StartedProcessor[] = [];
const dirs: string[] = [];

beforeAll(() => {
  if (!existsSync(PROCESSOR_MAIN)) throw new Error(`${PROCESSOR_MAIN} is missing; run \`pnpm -r build\` first`);
  if (!existsSync(join(PACKAGE_DIR, 'dist', 'index.js'))) throw new Error('packages/runtime-shell/dist is missing; run `pnpm -r build` first');
  pluginRoot = mkdtempSync(join(tmpdir(), 'nucleon-shell-plugins-'));
  mkdirSync(join(pluginRoot, 'node_modules', '@nucleon'), { recursive: true });
  symlinkSync(PACKAGE_DIR, join(pluginRoot, 'node_modules', '@nucleon', 'runtime-shell'), 'dir');
});
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop('SIGKILL')));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
afterAll(() => rmSync(pluginRoot, { recursive: true, force: true }));

/** A function directory with `function.yaml` and `files` (mode 755 unless told) served by a started processor. */
async function serve(yaml: string, files: Record<string, string> = {}, mode = 0o755): Promise<StartedProcessor> {
  const dir = functionDir({ 'function.yaml': yaml, ...files });
  dirs.push(dir);
  for (const name of Object.keys(files)) chmodSync(join(dir, name), mode);
  const processor = await startProcessor(dir, { env: { NUCLEON_PLUGIN_PATHS: pluginRoot } });
  started.push(processor);
  return processor;
}

function yaml(handler: string, extra: string[] = []): string {
  return ['apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', '  name: shell-fn', 'spec:', '  runtime: shell',
    `  handler: ${handler}`, ...extra, ''].join('\n');
}

/** The resident memory of `pid` in MiB, as the system counts it. */
function rssMiB(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;
}

/** True while `pid` runs a program (a zombie, exited but not reaped, has an empty command line). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').length > 0;
  } catch {
    return false;
  }
}

describe('runtime: shell in the real processor', () => {
  it('runs Nuclio\'s reverser.sh example unchanged, as a non-executable file', async () => {
    const reverser = [
      '#!/bin/sh', '', '# @nuclio.configure', '#', '# function.yaml:', '#   apiVersion: "nuclio.io/v1"', '#   kind: "NuclioFunction"',
      '#   spec:', '#     runtime: "shell"', '#     handler: "reverser.sh"', '#', '', 'rev /dev/stdin', '',
    ].join('\n');
    const processor = await serve(yaml('reverser.sh'), { 'reverser.sh': reverser }, 0o644);
    const res = await fetch(processor.url, { method: 'POST', body: 'reverse-me' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect((await res.text()).trimEnd()).toBe('em-esrever');
    expect(processor.output()).not.toContain('configuration warning');
  });

  it('round-trips text and binary bodies byte for byte through an executable on PATH (handler: cat)', async () => {
    const processor = await serve(yaml('cat'));
    const text = 'héllo wörld ✓\r\n\ttabs and trailing spaces   \n';
    const textRes = await fetch(processor.url, { method: 'POST', body: text });
    expect(await textRes.text()).toBe(text);
    const binary = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.alloc(1 << 20, 0xff), Buffer.from([0, 0, 10, 13])]);
    const binRes = await fetch(processor.url, { method: 'POST', body: binary, headers: { 'content-type': 'application/octet-stream' } });
    expect(binRes.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await binRes.arrayBuffer()), binary)).toBe(0);
  });

  it('passes runtimeAttributes arguments and responseHeaders, spec.env and the event, as Nuclio\'s shell tests expect', async () => {
    const script = [
      '#!/bin/sh',
      'body=$(cat)',
      'case "$body" in',
      '  return_env) echo "$ENV1-$ENV2" ;;',
      '  return_arguments) echo "$1-$2" ;;',
      '  return_event) echo "$NUCLIO_EVENT_METHOD $NUCLIO_EVENT_PATH $NUCLEON_EVENT_HEADER_X_TRACE $NUCLEON_EVENT_FIELD_Q $NUCLIO_TRIGGER_KIND" ;;',
      '  *) echo "$body" ;;',
      'esac', '',
    ].join('\n');
    const processor = await serve(yaml('outputter.sh:main', [
      '  env:', '    - name: ENV1', '      value: value1', '    - name: ENV2', '      value: value2',
      '  runtimeAttributes:', '    arguments: first second', '    responseHeaders:', '      header1: value1',
    ]), { 'outputter.sh': script });
    const call = async (body: string, init: RequestInit = {}, path = '/') => {
      const res = await fetch(processor.url + path, { method: 'POST', body, ...init });
      return { status: res.status, header1: res.headers.get('header1'), text: await res.text() };
    };
    expect(await call('return_body')).toEqual({ status: 200, header1: 'value1', text: 'return_body\n' });
    expect((await call('return_env')).text).toBe('value1-value2\n');
    expect((await call('return_arguments')).text).toBe('first-second\n');
    // Nuclio lets this header replace the arguments; Nucleon only when allowArgumentsHeader is set.
    expect((await call('return_arguments', { headers: { 'x-nuclio-arguments': 'a b' } })).text).toBe('first-second\n');
    expect((await call('return_event', { method: 'PUT', headers: { 'x-trace': 'abc' } }, '/items?q=42')).text).toBe('PUT /items abc 42 http\n');
    expect(processor.output()).not.toContain('configuration warning');
  });

  it('answers a non-zero exit with 500; stderr goes to the processor log, never to the client', async () => {
    const processor = await serve(yaml('fail.sh'), { 'fail.sh': '#!/bin/sh\necho "partial output"\necho "secret-db-password is wrong" >&2\nexit 7\n' });
    const res = await fetch(processor.url, { method: 'POST', body: 'x' });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toMatchObject({ code: 'NUCLEON_ERR_HANDLER_FAILED' });
    expect(body).not.toContain('secret');
    expect(body).not.toContain('partial output');
    const eventId = (JSON.parse(body) as { eventId: string }).eventId;
    const logs = processor.logLines();
    expect(logs).toContainEqual(expect.objectContaining({ msg: 'handler stderr', eventId, line: 'secret-db-password is wrong' }));
    const failed = logs.find((l) => l.msg === 'handler failed' && l.eventId === eventId);
    expect(JSON.stringify(failed)).toMatch(/exited with code 7; stderr: secret-db-password is wrong/);
  });

  it('treats shell metacharacters in the body, a header and the query as data: verbatim, no side effects', async () => {
    const marker = join(tmpdir(), `nucleon-shell-pwned-${process.pid}-${Date.now()}`);
    const payload = (sep: string) => [
      `$(touch ${marker})`, `\`touch ${marker}\``, `; rm -rf ${marker}-dir; touch ${marker}`, `| touch ${marker}`, `&& touch ${marker}`,
      `' " \\' \\" $HOME $((1+1)) > ${marker} < /etc/passwd * ? ~`,
    ].join(sep);
    const body = payload('\n');
    const header = payload(' ');
    const processor = await serve(yaml('echo.sh'), {
      'echo.sh': '#!/bin/sh\ncat\nprintf "\\n--header--\\n%s\\n--query--\\n%s" "$NUCLEON_EVENT_HEADER_X_EVIL" "$NUCLEON_EVENT_FIELD_Q"\n',
    });
    const res = await fetch(`${processor.url}/?q=${encodeURIComponent(header)}`, { method: 'POST', body, headers: { 'x-evil': header } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe(`${body}\n--header--\n${header}\n--query--\n${header}`);
    expect(existsSync(marker)).toBe(false);
  });

  it('answers a handler hanging past eventTimeout with 504, kills it and what it started, and keeps serving', async () => {
    const pidDir = mkdtempSync(join(tmpdir(), 'nucleon-shell-pids-'));
    dirs.push(pidDir);
    const script = [
      '#!/bin/sh',
      'if [ "$(cat)" = hang ]; then',
      `  echo $$ > ${pidDir}/main`,
      '  sleep 60 &',
      `  echo $! > ${pidDir}/child`,
      '  wait',
      'fi',
      'echo done', '',
    ].join('\n');
    const processor = await serve(yaml('hang.sh', ['  eventTimeout: 1s']), { 'hang.sh': script });
    const startedAt = Date.now();
    const res = await fetch(processor.url, { method: 'POST', body: 'hang' });
    expect(res.status).toBe(504);
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    const [main, child] = ['main', 'child'].map((f) => Number(readFileSync(join(pidDir, f), 'utf8').trim()));
    expect(main).toBeGreaterThan(0);
    await expect.poll(() => running(main as number), { timeout: 5000 }).toBe(false);
    await expect.poll(() => running(child as number), { timeout: 5000 }).toBe(false);
    const next = await fetch(processor.url, { method: 'POST', body: 'quick' });
    expect(await next.text()).toBe('done\n');
  });

  it('runs one process per event, concurrently across numWorkers', async () => {
    const processor = await serve(yaml('slow.sh', ['  triggers:', '    web:', '      kind: http', '      numWorkers: 3']), {
      'slow.sh': '#!/bin/sh\nsleep 0.5\necho "$$ $(cat)"\n',
    });
    const startedAt = Date.now();
    const replies = await Promise.all(['a', 'b', 'c'].map(async (body) => (await fetch(processor.url, { method: 'POST', body })).text()));
    expect(Date.now() - startedAt).toBeLessThan(1400);
    expect(replies.map((r) => r.trim().split(' ')[1])).toEqual(['a', 'b', 'c']);
    expect(new Set(replies.map((r) => r.split(' ')[0])).size).toBe(3);
  });

  it('kills a handler writing 200 MB to stdout at maxResponseSize (16 MiB by default): memory stays bounded, the caller gets a clear 500, serving goes on', async () => {
    const processor = await serve(yaml('big.sh'), { 'big.sh': '#!/bin/sh\nif [ "$(cat)" = big ]; then head -c 200000000 /dev/zero; else echo small; fi\n' });
    expect(await (await fetch(processor.url, { method: 'POST', body: 'small' })).text()).toBe('small\n');
    const pid = processor.child.pid as number;
    const idle = rssMiB(pid);
    let peak = idle;
    const sampler = setInterval(() => { peak = Math.max(peak, rssMiB(pid)); }, 20);
    const res = await fetch(processor.url, { method: 'POST', body: 'big' }).finally(() => clearInterval(sampler));
    expect(res.status).toBe(500);
    const body = await res.json() as { code: string; error: string };
    expect(body.code).toBe('NUCLEON_ERR_RESPONSE_TOO_LARGE');
    expect(body.error).toContain('maxResponseSize');
    // Today the whole 200 MB was held (twice, while joined): RSS rose by over 400 MiB.
    expect(peak - idle, `idle ${idle.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB`).toBeLessThan(100);
    expect(processor.output()).toContain('wrote more than 16777216 bytes to stdout (runtimeAttributes.maxResponseSize); it was killed');
    expect(await (await fetch(processor.url, { method: 'POST', body: 'small' })).text()).toBe('small\n');
  });

  it('refuses to start when the handler file is missing', async () => {
    const dir = functionDir({ 'function.yaml': yaml('missing.sh:main') });
    dirs.push(dir);
    const processor = await startProcessor(dir, { env: { NUCLEON_PLUGIN_PATHS: pluginRoot }, waitReady: false });
    started.push(processor);
    expect(await processor.exited).not.toBe(0);
    expect(processor.output()).toContain('NUCLEON_ERR_HANDLER_NOT_FOUND');
    expect(processor.output()).toContain('missing.sh');
  });
});
