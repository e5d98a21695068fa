// Image build benchmark: `nucleon build` cold vs after a handler-only change vs no change, and
// `nucleon deploy --platform docker` to ready, for a Node and a Python function.
// Usage: bash bench/build/run.sh  (env: BENCH_ROUNDS, BENCH_QUICK, BENCH_FUNCTIONS, BENCH_BOOTSTRAP,
// BENCH_CMD_TIMEOUT, BENCH_ROUND_RETRIES, BENCH_RESULTS_DIR, BENCH_KEEP_TMP; see bench/README.md).
// Markdown goes to stdout, progress to stderr. Plain ESM, Node built-ins and the CLI only.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'main.js');
const env = process.env;
const quick = env.BENCH_QUICK === '1';
const intEnv = (name, dflt, min, max) => {
  const v = env[name] === undefined || env[name] === '' ? dflt : Number(env[name]);
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name}=${env[name]}: expected an integer in [${min}, ${max}]`);
  return v;
};
const config = {
  rounds: intEnv('BENCH_ROUNDS', quick ? 1 : 3, 1, 10),
  cmdTimeoutS: intEnv('BENCH_CMD_TIMEOUT', 600, 10, 3600),
  bootstrap: env.BENCH_BOOTSTRAP !== '0',
  functions: (env.BENCH_FUNCTIONS || 'node,python').split(',').map((s) => s.trim()).filter(Boolean),
  resultsDir: env.BENCH_RESULTS_DIR || join(ROOT, 'bench', 'results'),
  goalRatio: 0.2,
};
for (const f of config.functions) if (!['node', 'python'].includes(f)) throw new Error(`BENCH_FUNCTIONS: unknown function ${f} (node, python)`);
const log = (msg) => process.stderr.write(`[bench/build] ${msg}\n`);

// Everything this run creates carries this id: the bench base images' label (inherited by every
// image built on them), the temp folder. Nothing else on the engine is touched.
const RUN_ID = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const LABEL = 'io.nucleon.bench-build';
const NODE_VERSION = process.versions.node;
const TMP = mkdtempSync(join(os.tmpdir(), 'nucleon-bench-build-'));
const CACHE = join(TMP, 'cache');
const devCache = env.NUCLEON_CACHE || join(env.XDG_CACHE_HOME || join(os.homedir(), '.cache'), 'nucleon');
const cliEnv = { ...env, NUCLEON_CACHE: CACHE, NUCLEON_HOME: join(TMP, 'home'), NUCLEON_LOG_LEVEL: env.NUCLEON_LOG_LEVEL || 'warn' };
delete cliEnv.NUCLEON_DEBUG;

const FUNCTIONS = {
  node: {
    kind: 'node',
    name: 'nucleon-bench-build-node',
    tag: 'nucleon-bench/build-node:latest',
    systemBase: `nucleon/base-node:${NODE_VERSION}`,
    benchBase: `nucleon-bench/base-node:${RUN_ID}`,
    handlerFile: 'main.js',
    comment: (n) => `\n// bench/build: handler-only change ${n}\n`,
    invokeArgs: ['-b', '{"name":"bench"}'],
    expect: 'Hello, bench!',
  },
  python: {
    kind: 'python',
    name: 'nucleon-bench-build-python',
    tag: 'nucleon-bench/build-python:latest',
    systemBase: `nucleon/base-python:node${NODE_VERSION}`,
    benchBase: `nucleon-bench/base-python:${RUN_ID}`,
    handlerFile: 'main.py',
    comment: (n) => `\n# bench/build: handler-only change ${n}\n`,
    invokeArgs: [],
    expect: 'hello',
  },
};

// ---------------------------------------------------------------------------------------------
// Processes

/** Runs a command; resolves with its wall-clock time (spawn to exit), output and stderr lines stamped. */
function timed(cmd, args, { timeoutS = config.cmdTimeoutS, childEnv = cliEnv, input } = {}) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn(cmd, args, { cwd: ROOT, env: childEnv, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    if (input !== undefined) child.stdin.end(input);
    let stdout = '';
    let stderr = '';
    let partial = '';
    const lines = [];
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => {
      stderr += d;
      const parts = (partial + d).split('\n');
      partial = parts.pop();
      const t = Math.round(ms());
      for (const line of parts) if (line.trim() !== '') lines.push({ t, line: line.trim() });
    });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGTERM'); }, timeoutS * 1000);
    child.on('error', (err) => { stderr += String(err); });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (partial.trim() !== '') lines.push({ t: Math.round(ms()), line: partial.trim() });
      resolve({ ms: Math.round(ms()), code: timedOut ? 124 : code, stdout, stderr, lines });
    });
  });
}

const nucleon = (args, opts) => timed(process.execPath, [CLI, ...args], opts);

function docker(args, { allowFail = false, input } = {}) {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', env: { ...env, DOCKER_BUILDKIT: '0' }, input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 300_000 }).trim();
  } catch (err) {
    if (allowFail) return undefined;
    throw new Error(`docker ${args.join(' ')} failed: ${(err.stderr || err.message || '').toString().trim()}`);
  }
}

const imageId = (ref) => docker(['image', 'inspect', '--format', '{{.Id}}', ref], { allowFail: true });

function must(result, what) {
  if (result.code !== 0) {
    throw new Error(`${what} failed (exit ${result.code}):\n${(result.stderr || '').split('\n').slice(-25).join('\n')}`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Images and caches owned by this run

/** A copy of the system base with only a label added: same layers, but an image id of this run's own. */
function makeBenchBase(fn) {
  const dockerfile = `FROM ${fn.systemBase}\nLABEL ${LABEL}=${RUN_ID}-${fn.kind}\n`;
  docker(['build', '-q', '-t', fn.benchBase, '-'], { input: dockerfile });
  fn.benchBaseId = imageId(fn.benchBase);
}

/**
 * Removes every image built on the function's bench base (function images, old function images
 * left dangling by a rebuild, the processor image, intermediate layers): they all inherit its label.
 * Children before parents; bounded passes.
 */
function purgeImages(fn, { keepBase = true } = {}) {
  for (let pass = 0; pass < 6; pass += 1) {
    const ids = [...new Set((docker(['images', '-a', '-q', '--no-trunc', '--filter', `label=${LABEL}=${RUN_ID}-${fn.kind}`], { allowFail: true }) || '')
      .split('\n').filter(Boolean))].filter((id) => !keepBase || id !== fn.benchBaseId);
    if (ids.length === 0) return true;
    // Newest first: children are always newer than their parents.
    const created = ids.map((id) => ({ id, at: docker(['image', 'inspect', '--format', '{{.Created}}', id], { allowFail: true }) || '' }));
    created.sort((a, b) => b.at.localeCompare(a.at));
    for (const { id } of created) docker(['rmi', '-f', id], { allowFail: true });
  }
  const left = (docker(['images', '-a', '-q', '--filter', `label=${LABEL}=${RUN_ID}-${fn.kind}`], { allowFail: true }) || '').split('\n').filter(Boolean);
  if (left.length > (keepBase ? 1 : 0)) log(`WARNING: could not remove images of ${fn.kind}: ${left.join(' ')}`);
  return false;
}

function processorTagsOf(fn) {
  const short = fn.benchBaseId.replace(/^sha256:/, '').slice(0, 12);
  return (docker(['images', 'nucleon/processor', '--format', '{{.Repository}}:{{.Tag}}'], { allowFail: true }) || '')
    .split('\n').filter((t) => t.endsWith(`-${short}`));
}

/** The builder's processor bundles in this run's own NUCLEON_CACHE. */
function purgeBundles() {
  const dir = join(CACHE, 'build');
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) if (entry.startsWith('processor-')) rmSync(join(dir, entry), { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// The functions

function writeFunctions() {
  const node = FUNCTIONS.node;
  node.dir = join(TMP, 'fn-node');
  cpSync(join(ROOT, 'examples', 'hello-node'), node.dir, { recursive: true, filter: (p) => !p.includes('node_modules') });
  let yaml = readFileSync(join(node.dir, 'function.yaml'), 'utf8');
  if (!/^ {2}name: hello-node$/m.test(yaml) || !/^spec:$/m.test(yaml)) throw new Error('examples/hello-node/function.yaml changed shape; update bench/build/run.mjs');
  yaml = yaml.replace(/^ {2}name: hello-node$/m, `  name: ${node.name}`)
    .replace(/^spec:$/m, `spec:\n  build:\n    baseImage: ${node.benchBase}`);
  writeFileSync(join(node.dir, 'function.yaml'), yaml);

  const py = FUNCTIONS.python;
  py.dir = join(TMP, 'fn-python');
  mkdirSync(py.dir, { recursive: true });
  writeFileSync(join(py.dir, 'main.py'), 'def handler(context, event):\n    return "hello"\n');
  writeFileSync(join(py.dir, 'function.yaml'), [
    'apiVersion: nuclio.io/v1', 'kind: NuclioFunction', 'metadata:', `  name: ${py.name}`, 'spec:',
    '  runtime: python:3.11', '  handler: main:handler', '  build:', `    baseImage: ${py.benchBase}`,
    '  triggers:', '    http:', '      kind: http', '      numWorkers: 1', '',
  ].join('\n'));
  for (const fn of Object.values(FUNCTIONS)) fn.original = readFileSync(join(fn.dir, fn.handlerFile), 'utf8');
}

/** What the build's progress says about which parts were reused, and when each phase started. */
function describeBuild(result, fn) {
  const at = (re) => result.lines.find((l) => re.test(l.line))?.t;
  const bundleStart = at(/processor: bundling/);
  const bundleEnd = at(/processor and plugins: (cached|bundled)/);
  const procStart = at(/building processor image /);
  const fnStart = at(new RegExp(`building ${fn.tag.replace(/[/.]/g, '\\$&')} from`));
  return {
    bundle: result.lines.some((l) => /processor and plugins: bundled/.test(l.line)) ? 'bundled' : 'cached',
    processorImage: procStart !== undefined ? 'built' : 'present',
    phasesMs: {
      // spawn to the first progress line: CLI start, config load, base image check.
      start: bundleStart ?? bundleEnd ?? null,
      bundle: bundleStart !== undefined && bundleEnd !== undefined ? bundleEnd - bundleStart : null,
      processorImage: procStart !== undefined && fnStart !== undefined ? fnStart - procStart : null,
      functionImage: fnStart !== undefined ? result.ms - fnStart : null,
    },
  };
}

async function build(fn, label) {
  const r = must(await nucleon(['build', fn.dir, '-t', fn.tag]), `${fn.kind}: nucleon build (${label})`);
  const d = describeBuild(r, fn);
  log(`  ${fn.kind} ${label}: ${r.ms} ms (bundle ${d.bundle}, processor image ${d.processorImage})`);
  return { ms: r.ms, ...d, lines: r.lines };
}

async function invoke(fn) {
  const r = must(await nucleon(['invoke', fn.name, '--platform', 'docker', ...fn.invokeArgs], { timeoutS: 60 }), `${fn.kind}: nucleon invoke`);
  if (!r.stdout.includes(fn.expect)) throw new Error(`${fn.kind}: invoke answered ${JSON.stringify(r.stdout.slice(0, 200))}, expected ${fn.expect}`);
  return r.ms;
}

async function deleteFunction(fn) {
  return nucleon(['delete', fn.name, '--platform', 'docker'], { timeoutS: 60 });
}

async function round(fn, n) {
  log(`round ${n}: ${fn.kind}`);
  writeFileSync(join(fn.dir, fn.handlerFile), fn.original);
  await deleteFunction(fn); // a leftover from an interrupted step; exit 3 (not found) is expected
  purgeImages(fn);
  purgeBundles();
  if (processorTagsOf(fn).length > 0) throw new Error(`${fn.kind}: processor image still present after the purge`);

  const first = await build(fn, 'first build');
  const processorTags = processorTagsOf(fn);
  appendFileSync(join(fn.dir, fn.handlerFile), fn.comment(n));
  const rebuild = await build(fn, 'rebuild, handler changed');
  const noChange = await build(fn, 'rebuild, no change');
  const sizeBytes = Number(docker(['image', 'inspect', '--format', '{{.Size}}', fn.tag]));

  const deploy = must(await nucleon(['deploy', fn.dir, '--platform', 'docker', '--image', fn.tag]), `${fn.kind}: nucleon deploy`);
  const invokeMs = await invoke(fn);
  const redeploy = must(await nucleon(['deploy', fn.dir, '--platform', 'docker', '--image', fn.tag]), `${fn.kind}: nucleon deploy (redeploy)`);
  const invoke2Ms = await invoke(fn);
  const del = must(await deleteFunction(fn), `${fn.kind}: nucleon delete`);
  log(`  ${fn.kind} deploy ${deploy.ms} ms, invoke ${invokeMs} ms, redeploy ${redeploy.ms} ms, invoke ${invoke2Ms} ms, delete ${del.ms} ms`);
  for (const [what, b] of [['rebuild after a handler-only change', rebuild], ['rebuild with no change', noChange]]) {
    if (b.bundle !== 'cached' || b.processorImage !== 'present') log(`  NOTE: ${fn.kind} ${what} did not reuse the processor (bundle ${b.bundle}, image ${b.processorImage})`);
  }
  return {
    function: fn.kind, round: n, processorTags, imageSizeBytes: sizeBytes,
    firstBuild: first, rebuildHandler: rebuild, rebuildNoChange: noChange,
    deployMs: deploy.ms, invokeAfterDeployMs: invokeMs, redeployMs: redeploy.ms, invokeAfterRedeployMs: invoke2Ms, deleteMs: del.ms,
    ratios: { rebuildHandler: rebuild.ms / first.ms, rebuildNoChange: noChange.ms / first.ms },
  };
}

/**
 * The workspace may be rebuilt under us (another build in the same checkout): a CLI that cannot
 * load its own modules, or a rebuild that had to re-bundle the processor because the packages'
 * files changed between two builds, measures that, not the builder. Such a round is run again
 * (at most BENCH_ROUND_RETRIES times, default 2) after a pause; the attempts are in the JSON.
 */
const FLUX = /ERR_MODULE_NOT_FOUND|Cannot find module|is not installed where this CLI can find it|SyntaxError/;
const roundRetries = intEnv('BENCH_ROUND_RETRIES', 2, 0, 5);
async function steadyRound(fn, n) {
  const disturbed = [];
  for (let attempt = 0; ; attempt += 1) {
    let why;
    try {
      const r = await round(fn, n);
      const reused = (b) => b.bundle === 'cached' && b.processorImage === 'present';
      if (reused(r.rebuildHandler) && reused(r.rebuildNoChange)) return { ...r, disturbedAttempts: disturbed };
      why = 'a rebuild re-bundled the processor (the workspace packages changed between builds)';
      if (attempt >= roundRetries) { log(`  WARNING: ${why}; keeping this round`); return { ...r, disturbed: why, disturbedAttempts: disturbed }; }
    } catch (err) {
      if (!FLUX.test(err.message) || attempt >= roundRetries) throw err;
      why = `the CLI failed as if the workspace were being rebuilt: ${err.message.split('\n').find((l) => FLUX.test(l))?.trim()}`;
    }
    disturbed.push(why);
    log(`  round ${n} ${fn.kind} disturbed (${why}); again in 15 s`);
    await new Promise((resolve) => setTimeout(resolve, 15_000));
  }
}

// ---------------------------------------------------------------------------------------------
// Report

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmtMs = (v) => (v === null || v === undefined ? '-' : Math.round(v).toLocaleString('en-US'));
const fmtX = (v) => `${v.toFixed(3)}x`;

function report(results, bootstrap) {
  const out = [];
  const rows = [
    ['first build (cold: no processor image, no bundle cache)', (r) => r.firstBuild.ms, null],
    ['rebuild after a handler-only change', (r) => r.rebuildHandler.ms, (r) => r.ratios.rebuildHandler],
    ['rebuild with no change (info)', (r) => r.rebuildNoChange.ms, (r) => r.ratios.rebuildNoChange],
    ['deploy to ready (--image)', (r) => r.deployMs, null],
    ['first invoke after deploy (info)', (r) => r.invokeAfterDeployMs, null],
    ['redeploy (replaces the container)', (r) => r.redeployMs, null],
    ['delete (info)', (r) => r.deleteMs, null],
  ];
  out.push(`## bench/build: ${config.rounds} round(s), medians (${os.cpus().length} cpus, Node ${NODE_VERSION}, Docker ${docker(['version', '--format', '{{.Server.Version}}'], { allowFail: true }) ?? '?'})`, '');
  out.push('| function | step | median ms | min-max ms | ×first build |', '| --- | --- | ---: | ---: | ---: |');
  for (const kind of config.functions) {
    const rs = results.filter((r) => r.function === kind);
    if (rs.length === 0) continue;
    for (const [label, get, ratio] of rows) {
      const vs = rs.map(get);
      out.push(`| ${kind} | ${label} | ${fmtMs(median(vs))} | ${fmtMs(Math.min(...vs))}-${fmtMs(Math.max(...vs))} | ${ratio ? fmtX(median(rs.map(ratio))) : '-'} |`);
    }
  }
  out.push('', 'First build by phase (medians, ms): start = CLI start to the first progress line; bundle = processor + plugins `npm install`; processor image = its `docker build`; function image = the function\'s `docker build` to the CLI\'s exit.', '');
  out.push('| function | start | bundle | processor image | function image | rebuild: function image | image size MB |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const kind of config.functions) {
    const rs = results.filter((r) => r.function === kind);
    if (rs.length === 0) continue;
    const ph = (get) => { const vs = rs.map(get).filter((v) => v !== null && v !== undefined); return vs.length ? median(vs) : null; };
    out.push(`| ${kind} | ${fmtMs(ph((r) => r.firstBuild.phasesMs.start))} | ${fmtMs(ph((r) => r.firstBuild.phasesMs.bundle))} | ${fmtMs(ph((r) => r.firstBuild.phasesMs.processorImage))} | ${fmtMs(ph((r) => r.firstBuild.phasesMs.functionImage))} | ${fmtMs(ph((r) => r.rebuildHandler.phasesMs.functionImage))} | ${(median(rs.map((r) => r.imageSizeBytes)) / 1e6).toFixed(0)} |`);
  }
  if (bootstrap) {
    out.push('', `Base images (info, once, \`nucleon images bootstrap --force\`, both kinds): ${fmtMs(bootstrap.ms)} ms` +
      (bootstrap.perKind.length ? ` (${bootstrap.perKind.map((k) => `${k.tag} ${k.s} s`).join(', ')})` : '') + '.');
  }
  const retried = results.filter((r) => r.disturbedAttempts?.length > 0 || r.disturbed);
  if (retried.length > 0) {
    out.push('', `Disturbed (the workspace changed under the run): ${retried.map((r) => `${r.function} round ${r.round}: ${r.disturbedAttempts.length} attempt(s) redone${r.disturbed ? ', kept disturbed' : ''}`).join('; ')}.`);
  }
  out.push('', `Goal: rebuild after a handler-only change <= ${config.goalRatio}x the first build (median of per-round ratios).`, '');
  for (const kind of config.functions) {
    const rs = results.filter((r) => r.function === kind);
    if (rs.length === 0) continue;
    const x = median(rs.map((r) => r.ratios.rebuildHandler));
    out.push(`- ${kind}: ${fmtX(x)} (${rs.map((r) => r.ratios.rebuildHandler.toFixed(3)).join(' / ')}) **${x <= config.goalRatio ? 'PASS' : 'MISS'}**`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main

let cleaned = false;
async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  log('cleaning up: functions, images of this run, temp folder');
  for (const kind of config.functions) {
    const fn = FUNCTIONS[kind];
    if (fn.dir) await deleteFunction(fn).catch(() => undefined);
    if (fn.benchBaseId) {
      purgeImages(fn, { keepBase: false });
      docker(['rmi', fn.benchBase], { allowFail: true });
    }
  }
  if (env.BENCH_KEEP_TMP === '1') log(`kept ${TMP}`);
  else rmSync(TMP, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => { log(`${sig}: stopping`); cleanup().finally(() => process.exit(130)); });
}

async function main() {
  log(`run ${RUN_ID}: functions ${config.functions.join(',')}, ${config.rounds} round(s), NUCLEON_CACHE=${CACHE}`);
  if (docker(['version', '--format', '{{.Server.Version}}'], { allowFail: true }) === undefined) throw new Error('no Docker engine (bash scripts/services/docker.sh start)');
  // busybox for the base images comes from the developer's cache when there (saves an apt download).
  const busybox = join(devCache, 'busybox');
  if (existsSync(join(busybox, 'bin', 'busybox'))) cpSync(busybox, join(CACHE, 'busybox'), { recursive: true });

  let bootstrap = null;
  if (config.bootstrap) {
    log('base images: nucleon images bootstrap --force (info)');
    const r = must(await nucleon(['images', 'bootstrap', '--force']), 'nucleon images bootstrap --force');
    const perKind = r.lines.map((l) => /^(\S+): ready in ([\d.]+) s$/.exec(l.line)).filter(Boolean).map((m) => ({ tag: m[1], s: Number(m[2]) }));
    bootstrap = { ms: r.ms, perKind };
    log(`  ${r.ms} ms ${perKind.map((k) => `${k.tag} ${k.s} s`).join(', ')}`);
  } else {
    for (const kind of config.functions) {
      if (!imageId(FUNCTIONS[kind].systemBase)) must(await nucleon(['images', 'bootstrap', '--kind', kind]), 'nucleon images bootstrap');
    }
  }
  for (const kind of config.functions) makeBenchBase(FUNCTIONS[kind]);
  writeFunctions();

  const results = [];
  for (let n = 1; n <= config.rounds; n += 1) {
    const order = n % 2 === 1 ? config.functions : [...config.functions].reverse();
    for (const kind of order) results.push(await steadyRound(FUNCTIONS[kind], n));
  }

  const md = report(results, bootstrap);
  process.stdout.write(`${md}\n`);
  mkdirSync(config.resultsDir, { recursive: true });
  const file = join(config.resultsDir, `build-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ config, runId: RUN_ID, node: NODE_VERSION, cpus: os.cpus().length, bootstrap, results }, null, 2)}\n`);
  log(`raw results: ${file}`);
}

let failed = false;
try {
  await main();
} catch (err) {
  failed = true;
  log(`FAILED: ${err.message}`);
} finally {
  await cleanup();
}
process.exit(failed ? 1 : 0);
