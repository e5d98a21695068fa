import { describe, expect, it } from 'vitest';
import { functionDir, functionYaml, startExpectingFailure, startProcessor } from '../src/testing/index.js';

/** Starts a processor on exactly these files, expected to fail at start. */
const failedStart = (files: Record<string, string>): ReturnType<typeof startExpectingFailure> => startExpectingFailure(files);

describe('bad configuration and bad code fail at start with a clear, coded message', () => {
  it('malformed YAML names the file and line', async () => {
    const { code, output } = await failedStart({ 'function.yaml': 'metadata:\n  name: x\nspec:\n  runtime: nodejs\n   handler: [oops\n', 'main.js': '' });
    expect(code).toBe(1);
    expect(output).toContain('NUCLEON_ERR_CONFIG_PARSE');
    expect(output).toMatch(/function\.yaml/);
    expect(output).toMatch(/line \d+/);
  });

  it('reports every configuration problem at once with its path', async () => {
    const yaml = 'metadata:\n  name: Bad_Name\nspec:\n  runtime: nodejs\n  eventTimeout: soon\n  triggers:\n    web:\n      numWorkers: 0\n';
    const { code, output } = await failedStart({ 'function.yaml': yaml, 'main.js': '' });
    expect(code).toBe(1);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    for (const path of ['metadata.name', 'spec.eventTimeout', 'spec.triggers.web.kind', 'spec.triggers.web.numWorkers']) {
      expect(output).toContain(path);
    }
  });

  it('an unknown trigger kind names the trigger and the built-in kinds', async () => {
    const { code, output } = await failedStart({
      'function.yaml': functionYaml({ trigger: '    events:\n      kind: carrier-pigeon\n' }),
      'main.js': 'exports.handler = () => "x";',
    });
    expect(code).toBe(1);
    expect(output).toContain('NUCLEON_ERR_UNKNOWN_TRIGGER_KIND');
    expect(output).toContain('spec.triggers.events.kind');
    expect(output).toContain('carrier-pigeon');
    expect(output).toContain('kafka-cluster');
  });

  it('an unknown trigger attribute is refused with the known ones listed', async () => {
    const { code, output } = await failedStart({
      'function.yaml': functionYaml({ trigger: '    web:\n      kind: http\n      attributes:\n        prot: 8080\n' }),
      'main.js': 'exports.handler = () => "x";',
    });
    expect(code).toBe(1);
    expect(output).toContain('spec.triggers.web.attributes.prot');
    expect(output).toContain('maxRequestBodySize');
  });

  it('an unknown runtime is refused', async () => {
    const { code, output } = await failedStart({ 'function.yaml': functionYaml({ runtime: 'cobol' }), 'main.js': '' });
    expect(code).toBe(1);
    expect(output).toContain('NUCLEON_ERR_UNKNOWN_RUNTIME');
    expect(output).toContain('"cobol"');
  });

  it('a missing handler file lists what was looked for', async () => {
    const { code, output } = await failedStart({ 'function.yaml': functionYaml({ handler: 'nothere:handler' }) });
    expect(code).toBe(1);
    expect(output).toContain('NUCLEON_ERR_HANDLER_NOT_FOUND');
    expect(output).toContain('nothere');
  });

  it('a missing export names what the file does export', async () => {
    const { code, output } = await failedStart({ 'function.yaml': functionYaml({ handler: 'main:handle' }), 'main.js': 'exports.handler = () => 1; exports.other = 2;' });
    expect(code).toBe(1);
    expect(output).toContain('NUCLEON_ERR_HANDLER_NOT_FOUND');
    expect(output).toMatch(/no exported function "handle".*handler, other/);
  });

  it('a syntax error in the handler is a load error, not a crash', async () => {
    const { code, output } = await failedStart({ 'function.yaml': functionYaml(), 'main.js': 'exports.handler = (context, event => {' });
    expect(code).toBe(1);
    expect(output).toContain('NUCLEON_ERR_HANDLER_LOAD');
  });

  it('an initContext that throws stops the start with its message', async () => {
    const { code, output } = await failedStart({
      'function.yaml': functionYaml(),
      'main.js': 'exports.initContext = () => { throw new Error("database unreachable"); }; exports.handler = () => 1;',
    });
    expect(code).toBe(1);
    expect(output).toContain('NUCLEON_ERR_INIT_CONTEXT_FAILED');
    expect(output).toContain('database unreachable');
  });

  it('unsupported Nuclio fields warn at load but the function runs', async () => {
    const dir = functionDir({
      'function.yaml': `${functionYaml()}  dataBindings: {}\n  loggerSinks: []\n`,
      'main.js': 'exports.handler = () => "still runs";',
    });
    const p = await startProcessor(dir);
    try {
      expect(await (await fetch(p.url)).text()).toBe('still runs');
      const warnings = p.logLines().filter((l) => l.msg === 'configuration warning').map((l) => l.path);
      expect(warnings).toEqual(expect.arrayContaining(['spec.dataBindings', 'spec.loggerSinks']));
    } finally {
      await p.stop();
    }
  });
});

describe('bad behaviour at run time gets a clear HTTP answer and loses nothing', () => {
  const handler = `
    exports.handler = async (context, event) => {
      if (event.path === '/throw') throw new Error('SECRET database password in message');
      if (event.path === '/hang') return new Promise(() => {});
      if (event.path === '/slow') { await new Promise((r) => setTimeout(r, 400)); return 'slow done'; }
      if (event.path === '/garbage') return () => 'a function is not a response';
      if (event.path === '/bigint') return 10n;
      return 'ok';
    };`;
  const trigger = '    web:\n      kind: http\n      numWorkers: 1\n      workerAvailabilityTimeoutMilliseconds: 100\n      attributes:\n        maxRequestBodySize: 1024\n';

  it('handler errors, hangs, garbage results, oversized bodies and a busy pool', async () => {
    const p = await startProcessor(functionDir({ 'function.yaml': functionYaml({ eventTimeout: '1s', trigger }), 'main.js': handler }));
    try {
      const thrown = await fetch(`${p.url}/throw`);
      expect(thrown.status).toBe(500);
      const body = await thrown.text();
      expect(body).not.toContain('SECRET');
      expect(body).not.toContain('at ');
      expect(JSON.parse(body).code).toBe('NUCLEON_ERR_HANDLER_FAILED');
      // ... but the operator sees the whole error in the log.
      expect(p.output()).toContain('SECRET database password in message');

      const hung = await fetch(`${p.url}/hang`);
      expect(hung.status).toBe(504);
      expect((await hung.json()).code).toBe('NUCLEON_ERR_EVENT_TIMEOUT');
      expect(await (await fetch(`${p.url}/`)).text()).toBe('ok'); // the replaced worker serves again

      for (const path of ['/garbage', '/bigint']) {
        const res = await fetch(`${p.url}${path}`);
        expect(res.status).toBe(500);
        expect((await res.json()).code).toBe('NUCLEON_ERR_INVALID_RESPONSE');
      }

      const big = await fetch(`${p.url}/`, { method: 'POST', body: Buffer.alloc(4096, 1) });
      expect(big.status).toBe(413);
      expect((await big.json()).code).toBe('NUCLEON_ERR_BODY_TOO_LARGE');
      const justFits = await fetch(`${p.url}/`, { method: 'POST', body: Buffer.alloc(1024, 1) });
      expect(justFits.status).toBe(200);

      // One worker busy for 400 ms, availability timeout 100 ms: the second request gets 503.
      const slow = fetch(`${p.url}/slow`);
      await new Promise((r) => setTimeout(r, 50));
      const busy = await fetch(`${p.url}/`);
      expect(busy.status).toBe(503);
      expect(busy.headers.get('retry-after')).toBe('1');
      expect((await busy.json()).code).toBe('NUCLEON_ERR_NO_WORKER_AVAILABLE');
      expect(await (await slow).text()).toBe('slow done');

      const metrics = await (await fetch(`${p.adminUrl}/metrics`)).text();
      expect(metrics).toMatch(/result="timeout",function="test-fn"\} 1/);
      expect(metrics).toMatch(/result="rejected",function="test-fn"\} 1/);
    } finally {
      expect(await p.stop()).toBe(0);
    }
  });
});
