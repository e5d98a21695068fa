// Cold start per runtime: spawn of a processor to the end of its first 200 on the HTTP port,
// the median of BENCH_COLD_STARTS fresh starts, for Node, Python and Go hello functions.
// With NUCLIO_PROCESSOR (a processor binary built from Nuclio's source) and NUCLIO_SRC (that
// source tree, for its wrappers), Nuclio's processor runs the same three hellos in the same
// rounds, alternating which side goes first. Nothing of Nuclio is kept in this repository.
//
//   node bench/runtimes/cold-start.mjs            (also run at the end of bench/runtimes/run.mjs)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, startServer, stopServer, treeCpuMs, waitFor200 } from '../http/lib/proc.mjs';
import { median } from '../http/lib/report.mjs';
import { PROCESSOR_MAIN, REPO_ROOT } from '../http/lib/servers.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const env = process.env;
const log = (msg) => process.stderr.write(`[bench/cold-start] ${msg}\n`);

/** The interpreter binary behind `python3` (a pyenv shim resolves to it), so both processors start the same one. */
function realPython() {
  try {
    return execFileSync(env.NUCLEON_PYTHON || 'python3', ['-S', '-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  } catch {
    return 'python3';
  }
}

const FUNCTIONS = {
  node: join(REPO_ROOT, 'bench', 'http', 'functions', 'hello'),
  python: join(HERE, 'functions', 'py-hello'),
  go: join(HERE, 'functions', 'go-hello'),
};

function nucleon(runtime, extraEnv) {
  return {
    name: `nucleon-${runtime}`,
    command: (p) => ({
      args: [PROCESSOR_MAIN, '--config', join(FUNCTIONS[runtime], 'function.yaml')],
      env: { NUCLEON_HTTP_PORT: String(p.http), NUCLEON_HTTP_HOST: '127.0.0.1', NUCLEON_ADMIN_PORT: String(p.admin), NUCLEON_ADMIN_HOST: '127.0.0.1', NUCLEON_LOG_LEVEL: 'warn', ...extraEnv },
      cwd: REPO_ROOT,
    }),
  };
}

// Nuclio's processor reads processor.yaml (the function) and platform.yaml; it listens on the
// HTTP trigger's `url`. Its web admin and health ports are moved to loopback ports of ours.
const NUCLIO_RUNTIME = { node: 'nodejs', python: 'python:3.11', go: 'golang' };
const NUCLIO_HANDLERS = {
  node: ['handler.js', "exports.handler = (context, event) => { context.callback('hello'); };\n"],
  python: ['main.py', "def handler(context, event):\n    return 'hello'\n"],
};

function nuclio(runtime, work, python) {
  const dir = join(work, runtime);
  mkdirSync(dir, { recursive: true });
  const handler = runtime === 'go' ? 'main:Handler' : runtime === 'node' ? 'handler:handler' : 'main:handler';
  if (NUCLIO_HANDLERS[runtime]) writeFileSync(join(dir, NUCLIO_HANDLERS[runtime][0]), NUCLIO_HANDLERS[runtime][1]);
  const src = env.NUCLIO_SRC;
  return {
    name: `nuclio-${runtime}`,
    command: (p) => {
      writeFileSync(join(dir, 'processor.yaml'), JSON.stringify({
        metadata: { name: `hello-${runtime}`, namespace: 'default' },
        spec: { runtime: NUCLIO_RUNTIME[runtime], handler, triggers: { http: { kind: 'http', maxWorkers: 1, numWorkers: 1, url: `127.0.0.1:${p.http}`, attributes: { port: p.http } } } },
      }));
      writeFileSync(join(dir, 'platform.yaml'), JSON.stringify({
        webAdmin: { enabled: true, listenAddress: `127.0.0.1:${p.admin}` },
        healthCheck: { enabled: false },
        logger: { sinks: { stdout: { kind: 'stdout' } }, system: [{ level: 'warn', sink: 'stdout' }], functions: [{ level: 'warn', sink: 'stdout' }] },
      }));
      return {
        executable: env.NUCLIO_PROCESSOR,
        args: ['--config', join(dir, 'processor.yaml'), '--platform-config', join(dir, 'platform.yaml')],
        env: {
          NUCLIO_HANDLER_DIR: dir,
          NUCLIO_NODEJS_WRAPPER_PATH: join(src, 'pkg/processor/runtime/nodejs/js/wrapper.js'),
          NUCLIO_NODEJS_EXE: process.execPath,
          NUCLIO_PYTHON_EXE_PATH: python,
          NUCLIO_PYTHON_WRAPPER_PATH: join(src, 'pkg/processor/runtime/python/py/_nuclio_wrapper.py'),
          NUCLIO_PYTHON_PATH: dir,
          PYTHONPATH: env.NUCLIO_PYTHON_DEPS ?? '',
          NUCLIO_GOLANG_HANDLER_PLUGIN_PATH: env.NUCLIO_GO_PLUGIN ?? '',
        },
        cwd: dir,
      };
    },
  };
}

async function oneStart(spec) {
  const h = startServer(spec, { http: await freePort(), admin: await freePort() });
  try {
    const ms = await waitFor200(h, { timeoutMs: 60_000 });
    return { ms, cpuMs: treeCpuMs(h.pid) };
  } finally {
    await stopServer(h);
  }
}

/**
 * Measures every row `starts` times, one fresh process each; in each round the Nucleon and
 * Nuclio starts of a runtime alternate which goes first. Returns rows and a markdown table.
 */
export async function coldStartReport({ starts = Number(env.BENCH_COLD_STARTS ?? 5), runtimes = (env.BENCH_COLD_RUNTIMES ?? 'node,python,go').split(',') } = {}) {
  const python = realPython();
  const withNuclio = Boolean(env.NUCLIO_PROCESSOR && env.NUCLIO_SRC && existsSync(env.NUCLIO_PROCESSOR));
  const work = mkdtempSync(join(os.tmpdir(), 'nucleon-cold-'));
  const rows = [];
  try {
    for (const runtime of runtimes) {
      const sides = [
        { side: 'Nucleon', spec: nucleon(runtime, runtime === 'python' ? { NUCLEON_PYTHON: python } : {}) },
        // What a user gets by default: `python3` from PATH (here a pyenv shim), probed and resolved by the runtime.
        ...(runtime === 'python' && python !== 'python3' ? [{ side: 'Nucleon (python3 from PATH)', spec: nucleon(runtime, {}) }] : []),
        ...(withNuclio && (runtime !== 'go' || env.NUCLIO_GO_PLUGIN) ? [{ side: 'Nuclio', spec: nuclio(runtime, work, python) }] : []),
      ];
      // The first start of a row warms what any later one reuses (Go build cache, compile cache, page cache); it is not counted.
      for (const s of sides) {
        s.results = [];
        try { await oneStart(s.spec); } catch (err) { s.error = err.message.split('\n')[0]; log(`${s.spec.name}: ${s.error}`); }
      }
      for (let i = 0; i < starts; i++) {
        for (const s of i % 2 ? [...sides].reverse() : sides) {
          if (s.error) continue;
          try { s.results.push(await oneStart(s.spec)); } catch (err) { s.error = err.message.split('\n')[0]; log(`${s.spec.name}: ${s.error}`); }
        }
      }
      for (const s of sides) {
        const row = { runtime, side: s.side, error: s.error ?? null, startsMs: s.results.map((r) => Math.round(r.ms)),
          medianMs: median(s.results.map((r) => r.ms)), cpuMs: median(s.results.map((r) => r.cpuMs)) };
        rows.push(row);
        log(`${runtime} ${s.side}: ${row.error ?? `${row.startsMs.join(', ')} ms (median ${Math.round(row.medianMs)}, CPU ${row.cpuMs} ms)`}`);
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const out = [`## Cold start: spawn to first 200, median of ${starts} fresh starts${withNuclio ? ', Nuclio alternated in the same rounds' : ''}`, '',
    '| runtime | processor | median ms | CPU ms | starts ms | vs Nuclio |', '| --- | --- | ---: | ---: | --- | ---: |'];
  for (const r of rows) {
    const nuclioRow = rows.find((x) => x.runtime === r.runtime && x.side === 'Nuclio' && !x.error);
    const ratio = nuclioRow && r.side !== 'Nuclio' && !r.error ? `${(r.medianMs / nuclioRow.medianMs).toFixed(2)}x` : '';
    out.push(r.error ? `| ${r.runtime} | ${r.side} | failed: ${r.error.slice(0, 100)} | | | |`
      : `| ${r.runtime} | ${r.side} | ${Math.round(r.medianMs)} | ${r.cpuMs} | ${r.startsMs.join(', ')} | ${ratio} |`);
  }
  out.push('', 'CPU: user+system of the processor and its wrapper processes at the first 200 (10 ms steps). The first start of each row is a warm-up and not counted.');
  if (!withNuclio) out.push('Nuclio not measured: set NUCLIO_PROCESSOR (a built processor binary) and NUCLIO_SRC (its source tree), NUCLIO_PYTHON_DEPS (nuclio-sdk, msgpack), NUCLIO_GO_PLUGIN (a Go hello built with -buildmode=plugin).');
  return { rows, markdown: out.join('\n'), withNuclio };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  coldStartReport().then(({ rows, markdown }) => {
    process.stdout.write(`${markdown}\n`);
    const dir = env.BENCH_RESULTS_DIR ?? join(REPO_ROOT, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `cold-start-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify({ bench: 'cold-start', node: process.version, cpus: os.cpus().length, rows }, null, 2)}\n`);
    log(`raw results: ${file}`);
    process.exitCode = rows.some((r) => r.error && r.side !== 'Nuclio') ? 1 : 0;
  }, (err) => { log(`error: ${err.stack ?? err}`); process.exitCode = 1; });
}
