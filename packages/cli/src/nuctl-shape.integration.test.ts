import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CLI, killIfAlive, recordedPids, runNucleon, type CliResult } from './test-helpers/cli-process.js';

const PROCESSOR_MAIN = 'processor/dist/main.js';
const HANDLER_PY = 'import time\n\ndef h(context, event):\n' +
  '    context.logger.debug("debug from " + event.path)\n' +
  '    context.logger.info("info from " + event.path)\n' +
  '    if event.path == "/slow":\n        time.sleep(4)\n' +
  '    return "py says " + event.body.decode()\n';

let home: string;
let env: NodeJS.ProcessEnv;
let server: Server;
let baseUrl: string;
const served = new Map<string, Buffer>();

function nucleon(...args: string[]): Promise<CliResult> {
  return runNucleon(args, { cwd: home, env });
}

/** Nothing deployed: no processor recorded and `get` lists nothing. */
async function expectNothingDeployed(): Promise<void> {
  expect(recordedPids(home)).toEqual([]);
  expect((await nucleon('get', '-o', 'json')).stdout).toBe('[]\n');
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm -r build" first`);
  // A loopback file server the tests fill: `-p http://127.0.0.1:<port>/<file>`.
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end('not here');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  baseUrl = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-nuctl-it-'));
  env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DEBUG: '' };
  served.clear();
});
afterEach(async () => {
  for (const pid of recordedPids(home)) killIfAlive(pid, PROCESSOR_MAIN);
  await rm(home, { recursive: true, force: true });
});

describe('nuctl\'s command shape (built CLI, real processors)', () => {
  it('deploy NAME -p FILE --runtime python --handler m:h -> invoke -> get function -o yaml -> export -> delete function', async () => {
    await writeFile(join(home, 'handler.py'), HANDLER_PY);
    const deploy = await nucleon('deploy', 'my-func', '-p', 'handler.py', '--runtime', 'python', '--handler', 'handler:h',
      '-n', 'team-a', '--labels', 'tier=web', '--desc', 'says hi', '--replicas', '1');
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stdout).toMatch(/^function "my-func" deployed on local\n {2}state: ready\n/);
    expect(deploy.stderr).toMatch(/^deploy: validating the configuration\ndeploy: deploying "my-func" on the local platform\n/m);

    const invoke = await nucleon('invoke', 'my-func', '-b', 'hello', '-t', '30s');
    expect(invoke).toMatchObject({ code: 0, stdout: 'py says hello' });

    const yaml = await nucleon('get', 'function', 'my-func', '-o', 'yaml');
    expect(yaml.code).toBe(0);
    const view = parse(yaml.stdout) as Record<string, any>;
    expect(view).toMatchObject({
      apiVersion: 'nuclio.io/v1', kind: 'NuclioFunction',
      metadata: { name: 'my-func', namespace: 'team-a', labels: { tier: 'web' } },
      spec: { runtime: 'python', handler: 'handler:h', description: 'says hi', replicas: 1 },
      status: { state: 'ready', platform: 'local', url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
    });
    expect(view.status.httpPort).toBe(Number(new URL(view.status.url).port));

    const wide = await nucleon('get', 'functions', '-o', 'wide');
    expect(wide.stdout).toMatch(/^NAME\s+STATE\s+URL\s+RUNTIME\s+HANDLER\s+REPLICAS\s+TRIGGERS\s+CREATED\s+RESTARTS\nmy-func\s+ready\s+http:\S+\s+python\s+handler:h\s+1\s+default-http\(http\)\s+\d{4}-/);

    const exported = await nucleon('export', 'function', 'my-func');
    expect(exported.code).toBe(0);
    const config = parse(exported.stdout) as Record<string, any>;
    expect(config).toMatchObject({ metadata: { name: 'my-func' }, spec: { runtime: 'python', handler: 'handler:h' } });
    expect(config.status).toBeUndefined();
    expect(config.spec.eventTimeoutMs).toBeUndefined();
    expect(JSON.parse((await nucleon('export', 'function', 'my-func', '-o', 'json')).stdout)).toEqual(config);
    // What export prints deploys again as it is.
    await writeFile(join(home, 'function.yaml'), exported.stdout);
    const again = await nucleon('deploy', home, '-v', '-o', 'yaml');
    expect(again.code, again.stderr).toBe(0);
    // -v shows the configuration being deployed; -o yaml prints it with the status, as get does.
    expect(again.stderr).toMatch(/^apiVersion: nuclio\.io\/v1\nkind: NuclioFunction\nmetadata:\n {2}name: my-func\n/m);
    expect(parse(again.stdout)).toMatchObject({ metadata: { name: 'my-func' }, status: { state: 'ready', platform: 'local' } });
    expect((await nucleon('invoke', 'my-func', '-b', 'again')).stdout).toBe('py says again');

    const del = await nucleon('delete', 'function', 'my-func');
    expect(del).toMatchObject({ code: 0, stdout: 'function "my-func" deleted\n' });
    expect((await nucleon('get', 'function', 'my-func')).code).toBe(3);
    expect((await nucleon('export', 'function', 'my-func')).code).toBe(3);
  });

  it('version prints the client version as nuctl does; -V prints the bare number', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const version = await nucleon('version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(new RegExp(`^Client version:\\n"Label: ${pkg.version.replaceAll('.', '\\.')}, Node\\.js: v\\d+[^"]*"\\n$`));
    expect((await nucleon('-V')).stdout).toBe(`${pkg.version}\n`);
  });

  it('deploys -p URL of a handler file and of a .tar.gz archive; a 404 is a clear error and deploys nothing', async () => {
    served.set('/handler.py', Buffer.from(HANDLER_PY));
    const file = await nucleon('deploy', 'from-url', '-p', `${baseUrl}/handler.py`, '--runtime', 'python', '--handler', 'handler:h');
    expect(file.code, file.stderr).toBe(0);
    expect(file.stderr).toContain(`deploy: fetching ${baseUrl}/handler.py\n`);
    expect((await nucleon('invoke', 'from-url', '-b', 'file')).stdout).toBe('py says file');

    const src = join(home, 'archive-src', 'my-fn');
    await mkdir(src, { recursive: true });
    await writeFile(join(src, 'main.py'), HANDLER_PY);
    await writeFile(join(src, 'function.yaml'), 'metadata:\n  name: from-archive\nspec:\n  runtime: python\n  handler: main:h\n');
    served.set('/fn.tar.gz', execFileSync('tar', ['-czf', '-', '-C', join(home, 'archive-src'), 'my-fn']));
    const archive = await nucleon('deploy', '-p', `${baseUrl}/fn.tar.gz`);
    expect(archive.code, archive.stderr).toBe(0);
    expect(archive.stderr).toMatch(/deploy: fetched \d+ bytes \(tar\.gz archive\) into /);
    expect((await nucleon('invoke', 'from-archive', '-b', 'tgz')).stdout).toBe('py says tgz');
    await rm(join(home, 'archive-src'), { recursive: true });
    // The code lives under the state directory, not in a temp folder that went with the CLI.
    const { status } = JSON.parse((await nucleon('get', 'function', 'from-archive', '-o', 'json')).stdout) as { status: { details: { functionDir: string } } };
    expect(status.details.functionDir.startsWith(join(home, 'sources'))).toBe(true);
    expect((await nucleon('delete', 'from-archive')).code).toBe(0);
    expect(existsSync(status.details.functionDir)).toBe(false);

    const missing = await nucleon('deploy', 'nope', '-p', `${baseUrl}/missing.py`, '--runtime', 'python', '--handler', 'missing:h');
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain(`error: cannot fetch the function source ${baseUrl}/missing.py: HTTP 404 Not Found\n`);
    expect((await nucleon('get', 'nope')).code).toBe(3);
  });

  it('refuses an unsupported nuctl flag (exit 2), a typo\'d runtime and a bad trigger attribute (exit 4) before any process starts', async () => {
    await writeFile(join(home, 'handler.py'), HANDLER_PY);
    const flag = await nucleon('deploy', 'f', '-p', 'handler.py', '--runtime', 'python', '--handler', 'handler:h', '--publish');
    expect(flag).toMatchObject({ code: 2, stdout: '', stderr: 'error: --publish is a nuctl flag Nucleon does not support yet; see docs/cli.md\n' });

    const typo = await nucleon('deploy', 'f', '-p', 'handler.py', '--runtime', 'pyhton', '--handler', 'handler:h');
    expect(typo.code).toBe(4);
    expect(typo.stderr).toContain('spec.runtime: unknown runtime "pyhton"; did you mean \'python\'?');

    const attrs = await nucleon('deploy', 'f', '-p', 'handler.py', '--runtime', 'python', '--handler', 'handler:h',
      '--triggers', '{"web":{"kind":"http","attributes":{"prot":8080}},"tick":{"kind":"cron","attributes":{"interval":5}}}');
    expect(attrs.code).toBe(4);
    expect(attrs.stderr).toContain('spec.triggers.web.attributes.prot: unknown attribute for @nucleon/trigger-http');
    expect(attrs.stderr).toContain('spec.triggers.tick.attributes.interval: expected a string');
    expect(attrs.stderr).not.toContain('deploy: deploying');
    await expectNothingDeployed();
    expect(existsSync(join(home, 'local', 'functions')) ? readdirSync(join(home, 'local', 'functions')) : []).toEqual([]);
  });

  it('invoke -t 2s on a slow handler times out clearly; invoke -l debug prints the request\'s log lines', async () => {
    await writeFile(join(home, 'handler.py'), HANDLER_PY);
    const deploy = await nucleon('deploy', 'slow', '-p', 'handler.py', '--runtime', 'python', '--handler', 'handler:h', '--logger-level', 'debug');
    expect(deploy.code, deploy.stderr).toBe(0);

    const started = Date.now();
    const slow = await nucleon('invoke', 'slow', '-p', '/slow', '-b', 'x', '-t', '2s');
    expect(slow.code).toBe(1);
    expect(slow.stderr).toMatch(/^error: invoking "slow" at http:\/\/127\.0\.0\.1:\d+\/slow failed: no response within 2 s\n$/);
    expect(Date.now() - started).toBeLessThan(3900);

    // Let the slow request finish so the one worker is free again.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const logged = await nucleon('invoke', 'slow', '-p', '/fast', '-b', 'y', '-l', 'debug');
    expect(logged.code, logged.stderr).toBe(0);
    expect(logged.stdout).toBe('py says y');
    expect(logged.stderr).toMatch(/> function logs \(debug and above, 2 lines\):\n\S+ DEBUG debug from \/fast .*\n\S+ INFO info from \/fast /);
    expect(logged.stderr).not.toContain('/slow');
    const infoOnly = await nucleon('invoke', 'slow', '-p', '/again', '-b', 'z', '-l', 'info');
    expect(infoOnly.stderr).toContain('INFO info from /again');
    expect(infoOnly.stderr).not.toContain('DEBUG');
  });

  it('deploys spec.build.functionSourceCode (base64 of a handler file), as Nuclio\'s SDK sends it', async () => {
    const code = Buffer.from('def handler(context, event):\n    return "decoded"\n').toString('base64');
    await mkdir(join(home, 'sdk'));
    await writeFile(join(home, 'sdk', 'function.yaml'),
      `metadata:\n  name: sdk-fn\nspec:\n  runtime: python:3.11\n  handler: main:handler\n  build:\n    functionSourceCode: ${code}\n`);
    const deploy = await nucleon('deploy', '-f', join(home, 'sdk', 'function.yaml'));
    expect(deploy.code, deploy.stderr).toBe(0);
    expect(deploy.stderr).not.toContain('functionSourceCode');
    expect((await nucleon('invoke', 'sdk-fn')).stdout).toBe('decoded');
  });

  it('init\'s "next" line works exactly as printed', async () => {
    const bin = join(home, 'bin');
    await mkdir(bin);
    await writeFile(join(bin, 'nucleon'), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`);
    await chmod(join(bin, 'nucleon'), 0o755);
    const init = await nucleon('init', 'first-day');
    const next = /^next: (.+)$/m.exec(init.stdout)?.[1];
    expect(next).toBe('nucleon deploy first-day && nucleon invoke first-day');
    const run = spawnSync('sh', ['-c', next!], { cwd: home, env: { ...env, PATH: `${bin}:${env.PATH}` }, encoding: 'utf8', timeout: 45_000 });
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.slice(run.stdout.indexOf('{')))).toMatchObject({ message: 'Hello from first-day!' });
  });
});
