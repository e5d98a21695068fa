// Kubernetes platform benchmark, on the local cluster (scripts/services/kubernetes.sh), each
// Nucleon figure next to a baseline measured in the same run:
//   1. deploy to first response (image already built): `nucleon deploy --platform kube --image`
//      (NuclioFunction -> controller -> ConfigMap, Deployment, Service -> pod ready) vs
//      `kubectl apply` of a plain Deployment of the same image, spawn to first HTTP 200;
//   2. a change (env) to the NuclioFunction -> Deployment updated (the controller's reaction) and
//      -> rollout complete, vs the same change patched straight into a plain Deployment;
//   3. reconcile of N functions (replicas 0, no pods): objects created per second and API calls
//      per reconcile, vs `kubectl apply` of the same objects; then writes on a no-op resync
//      (goal 0).
// Usage: bash bench/kubernetes/run.sh (env: BENCH_ROUNDS (10), BENCH_FUNCTIONS (100),
// BENCH_RESYNC_S (20), BENCH_RESULTS_DIR). Markdown on stdout, progress on stderr.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kubeApi, loadKubeconfig } from './kube-api.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'dist', 'main.js');
const CONTROLLER = join(ROOT, 'packages', 'platform-kubernetes', 'dist', 'controller-main.js');
const { nuclioFunctionCrdManifest } = await import(join(ROOT, 'packages', 'platform-kubernetes', 'dist', 'index.js'));
const env = process.env;
const CACHE = env.NUCLEON_CACHE || join(os.homedir(), '.cache', 'nucleon');
const KUBECONFIG = env.BENCH_KUBECONFIG || join(CACHE, 'kubernetes-data', 'admin.kubeconfig');
const KUBECTL = join(CACHE, 'kubernetes-v1.37.2', 'bin', 'kubectl');
const intEnv = (name, dflt, min, max) => {
  const v = env[name] ? Number(env[name]) : dflt;
  if (!Number.isInteger(v) || v < min || v > max) throw new Error(`${name}=${env[name]}: expected an integer in [${min}, ${max}]`);
  return v;
};
const ROUNDS = intEnv('BENCH_ROUNDS', 10, 1, 50);
const FUNCTIONS = intEnv('BENCH_FUNCTIONS', 100, 1, 500);
const RESYNC_S = intEnv('BENCH_RESYNC_S', 20, 5, 300);
const RUN_ID = `${Date.now().toString(36)}`;
const NS = `nucleon-bench-${RUN_ID}`;
const BASE_NS = `${NS}-base`;
const IMAGE_REPO = '127.0.0.1:5000/nucleon-bench/kbench';
const FUNCTION_DIR = join(HERE, 'functions', 'hello');
const log = (msg) => process.stderr.write(`[bench/kubernetes] ${msg}\n`);
const childEnv = { ...env, KUBECONFIG, NUCLEON_LOG_LEVEL: 'warn' };
const api = kubeApi(loadKubeconfig(KUBECTL, KUBECONFIG));
const now = () => performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

function run(cmd, args, input) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: ROOT, env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = ''; let stderr = '';
    child.stdout.on('data', (c) => { stdout += c; });
    child.stderr.on('data', (c) => { stderr += c; });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}
async function mustRun(cmd, args, input) {
  const res = await run(cmd, args, input);
  if (res.code !== 0) throw new Error(`${[cmd, ...args].join(' ')} exited ${res.code}:\n${res.stderr.slice(-2000)}`);
  return res;
}
function httpOk(port) {
  return new Promise((resolve) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', timeout: 1000 }, (res) => { res.resume(); resolve(res.statusCode === 200); });
    req.on('error', () => resolve(false));
    req.on('timeout', () => { req.destroy(); resolve(false); });
  });
}
/** Polls `check` every `everyMs` until it returns a truthy value (bounded by `timeoutMs`). */
async function until(what, check, timeoutMs = 180_000, everyMs = 20) {
  const deadline = now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => { const { port } = server.address(); server.close(() => resolve(port)); });
    server.on('error', reject);
  });
}

const nfPath = (ns, name = '') => `/apis/nuclio.io/v1beta1/namespaces/${ns}/nucliofunctions${name ? `/${name}` : ''}`;
const deployPath = (ns, name = '') => `/apis/apps/v1/namespaces/${ns}/deployments${name ? `/${name}` : ''}`;

async function createNamespace(name) {
  await api.must('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { 'nucleon.io/bench': 'kubernetes' } } });
}
async function deleteNamespace(name) {
  await api.request('DELETE', `/api/v1/namespaces/${name}`);
}
async function applyCrd() {
  const crd = nuclioFunctionCrdManifest();
  const path = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`;
  const existing = await api.request('GET', path);
  if (existing.status === 404) await api.must('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  else await api.must('PUT', path, { ...crd, metadata: { ...crd.metadata, resourceVersion: existing.body.metadata.resourceVersion } });
  await until('the CRD to be Established', async () => {
    const res = await api.request('GET', path);
    return res.body?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
  });
}

/** The controller as a child process, watching the bench namespace; its /metrics is scraped. */
async function startController(metricsPort) {
  const child = spawn(process.execPath, [CONTROLLER, '--namespace', NS, '--no-leader-elect', '--metrics-port', String(metricsPort),
    '--resync', String(RESYNC_S), '--concurrency', '2', '--kubeconfig', KUBECONFIG], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => { stderr = (stderr + c).slice(-4000); });
  child.on('exit', (code) => { if (code !== null && code !== 0) log(`controller exited ${code}: ${stderr}`); });
  await until('the controller /healthz', () => new Promise((resolve) => {
    http.get({ host: '127.0.0.1', port: metricsPort, path: '/healthz' }, (res) => { res.resume(); resolve(res.statusCode === 200); }).on('error', () => resolve(false));
  }), 30_000, 100);
  return child;
}
async function controllerMetrics(port) {
  const text = await new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/metrics' }, (res) => { let b = ''; res.on('data', (c) => { b += c; }); res.on('end', () => resolve(b)); }).on('error', reject);
  });
  const sum = (filter) => text.split('\n').filter((l) => l.startsWith('nucleon_controller_api_calls_total{') && filter(l))
    .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  const writes = sum((l) => /verb="(create|update|patch|delete)"/.test(l));
  const reconciles = text.split('\n').filter((l) => l.startsWith('nucleon_controller_reconciles_total{')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
  return { calls: sum(() => true), writes, reads: sum((l) => /verb="(get|list)"/.test(l)), reconciles };
}

// ---------------------------------------------------------------------------------------------
// 1. deploy to first response

/**
 * `nucleon deploy` returns once the pod is Ready; the function may answer a little earlier.
 * Both are timed: the port is read from the NuclioFunction's status as soon as the controller
 * records it, and polled while the deploy runs.
 */
async function nucleonDeploy(name, image) {
  const t0 = now();
  let answeredMs;
  let deployDone = false;
  const firstAnswer = (async () => {
    const port = await until(`${name}'s port`, async () => (await api.request('GET', nfPath(NS, name))).body?.status?.httpPort, 180_000, 20);
    await until(`${name} to answer`, async () => deployDone || (await httpOk(port)), 180_000, 20);
    if (answeredMs === undefined) answeredMs = now() - t0;
  })();
  const res = await mustRun(process.execPath, [CLI, 'deploy', name, '-p', FUNCTION_DIR, '--platform', 'kube', '-n', NS, '--image', image, '-o', 'json']);
  const readyMs = now() - t0;
  const status = JSON.parse(res.stdout);
  const port = Number(new URL(status.url).port);
  await until(`${name} to answer`, () => httpOk(port));
  answeredMs ??= now() - t0;
  deployDone = true;
  await firstAnswer;
  return { answeredMs, readyMs };
}
function plainDeployment(name, image, port, adminPort, envValue = '0') {
  const labels = { app: name, 'nucleon.io/bench': 'kubernetes' };
  return {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: BASE_NS, labels },
    spec: {
      replicas: 1, selector: { matchLabels: { app: name } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } },
      template: {
        metadata: { labels },
        spec: {
          hostNetwork: true, dnsPolicy: 'ClusterFirstWithHostNet', terminationGracePeriodSeconds: 5,
          containers: [{
            name: 'nuclio', image, imagePullPolicy: 'IfNotPresent',
            env: [
              { name: 'NUCLEON_HTTP_PORT', value: String(port) }, { name: 'NUCLEON_HTTP_HOST', value: '127.0.0.1' },
              { name: 'NUCLEON_HTTP_DEFAULT_HOST', value: '127.0.0.1' },
              { name: 'NUCLEON_ADMIN_PORT', value: String(adminPort) }, { name: 'NUCLEON_ADMIN_HOST', value: '127.0.0.1' },
              { name: 'BENCH_VALUE', value: envValue },
            ],
            ports: [{ name: 'http', containerPort: port }, { name: 'admin', containerPort: adminPort }],
            readinessProbe: { httpGet: { host: '127.0.0.1', port: adminPort, path: '/ready' }, periodSeconds: 1 },
          }],
        },
      },
    },
  };
}
async function baselineDeploy(name, image, port, adminPort) {
  const t0 = now();
  await mustRun(KUBECTL, ['--kubeconfig', KUBECONFIG, 'apply', '-f', '-'], JSON.stringify(plainDeployment(name, image, port, adminPort)));
  await until(`${name} to answer`, () => httpOk(port));
  const answeredMs = now() - t0;
  await until(`${name} to be Ready`, async () => (await api.must('GET', deployPath(BASE_NS, name))).status?.readyReplicas === 1, 180_000, 20);
  return { answeredMs, readyMs: now() - t0 };
}
async function deleteAndWait(path, podSelector, ns) {
  await api.request('DELETE', path, { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' });
  await until(`${path} to be gone`, async () => (await api.request('GET', path)).status === 404);
  await until(`pods of ${path} to be gone`, async () => {
    const pods = await api.must('GET', `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(podSelector)}`);
    return pods.items.length === 0;
  }, 120_000, 100);
}

// ---------------------------------------------------------------------------------------------
// 2. change -> Deployment updated -> rollout complete

function rolledOut(deployment, value) {
  const s = deployment.status ?? {};
  const want = deployment.spec.replicas ?? 1;
  const env = deployment.spec.template.spec.containers[0].env ?? [];
  return env.some((e) => e.name === 'BENCH_VALUE' && e.value === value) && s.observedGeneration >= deployment.metadata.generation &&
    s.updatedReplicas === want && s.readyReplicas === want && (s.replicas ?? 0) === want;
}
async function changeNucleon(name, value) {
  const t0 = now();
  const current = await api.must('GET', nfPath(NS, name));
  const envList = (current.spec.env ?? []).filter((e) => e.name !== 'BENCH_VALUE').concat([{ name: 'BENCH_VALUE', value }]);
  await api.must('PATCH', nfPath(NS, name), { spec: { env: envList } }, 'application/merge-patch+json');
  const path = deployPath(NS, `nuclio-${name}`);
  await until('the Deployment to carry the change', async () => {
    const d = await api.must('GET', path);
    return (d.spec.template.spec.containers[0].env ?? []).some((e) => e.name === 'BENCH_VALUE' && e.value === value);
  });
  const updatedMs = now() - t0;
  await until('the rollout', async () => rolledOut(await api.must('GET', path), value), 180_000, 50);
  return { updatedMs, rolloutMs: now() - t0 };
}
async function changeBaseline(name, value) {
  const t0 = now();
  const path = deployPath(BASE_NS, name);
  const d = await api.must('GET', path);
  const envList = d.spec.template.spec.containers[0].env.map((e) => (e.name === 'BENCH_VALUE' ? { name: e.name, value } : e));
  await api.must('PATCH', path, { spec: { template: { spec: { containers: [{ name: 'nuclio', env: envList }] } } } }, 'application/strategic-merge-patch+json');
  await until('the rollout', async () => rolledOut(await api.must('GET', path), value), 180_000, 50);
  return { rolloutMs: now() - t0 };
}

// ---------------------------------------------------------------------------------------------
// 3. reconcile of N functions

function idleFunction(name, image) {
  return {
    apiVersion: 'nuclio.io/v1beta1', kind: 'NuclioFunction', metadata: { name, namespace: NS },
    spec: { runtime: 'nodejs', handler: 'main:handler', image, replicas: 0, triggers: { http: { kind: 'http', numWorkers: 1 } } },
  };
}
async function reconcileMany(image, metricsPort) {
  const before = await controllerMetrics(metricsPort);
  const t0 = now();
  for (let i = 0; i < FUNCTIONS; i += 1) await api.must('POST', nfPath(NS), idleFunction(`idle-${i}`, image));
  const createdMs = now() - t0;
  await until(`${FUNCTIONS} functions reconciled`, async () => {
    const list = await api.must('GET', `${nfPath(NS)}?labelSelector=`);
    const idle = list.items.filter((f) => f.metadata.name.startsWith('idle-'));
    return idle.length === FUNCTIONS && idle.every((f) => f.status?.observedGeneration >= f.metadata.generation && f.status?.state);
  }, 600_000, 200);
  const allMs = now() - t0;
  const selector = encodeURIComponent('app.kubernetes.io/managed-by=nucleon');
  const counts = await Promise.all(['/api/v1/namespaces/NS/configmaps', '/apis/apps/v1/namespaces/NS/deployments', '/api/v1/namespaces/NS/services']
    .map(async (p) => (await api.must('GET', `${p.replace('NS', NS)}?labelSelector=${selector}`)).items.length));
  const objects = counts.reduce((a, b) => a + b, 0);
  const after = await controllerMetrics(metricsPort);
  const reconciles = after.reconciles - before.reconciles;
  // A no-op resync: every function reconciled again with nothing changed.
  log(`waiting for a resync (every ${RESYNC_S} s) of the ${FUNCTIONS} unchanged functions`);
  const idleStart = await controllerMetrics(metricsPort);
  await until('a full resync', async () => (await controllerMetrics(metricsPort)).reconciles - idleStart.reconciles >= FUNCTIONS, (RESYNC_S + 120) * 1000, 500);
  await sleep(2000);
  const idleEnd = await controllerMetrics(metricsPort);
  return {
    createdMs, allMs, objects, objectsPerS: objects / (allMs / 1000), reconciles,
    callsPerReconcile: (after.calls - before.calls) / Math.max(1, reconciles),
    writesPerReconcile: (after.writes - before.writes) / Math.max(1, reconciles),
    resync: { reconciles: idleEnd.reconciles - idleStart.reconciles, writes: idleEnd.writes - idleStart.writes, calls: idleEnd.calls - idleStart.calls },
  };
}
async function baselineApplyMany(image) {
  const items = [];
  for (let i = 0; i < FUNCTIONS; i += 1) {
    const name = `idle-${i}`;
    const d = plainDeployment(name, image, 40000 + i, 41000 + i);
    d.spec.replicas = 0;
    items.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: BASE_NS }, data: { 'function.yaml': JSON.stringify(idleFunction(name, image).spec) } });
    items.push(d);
    items.push({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: BASE_NS }, spec: { selector: { app: name }, ports: [{ name: 'http', port: 8080, targetPort: 40000 + i }] } });
  }
  const t0 = now();
  await mustRun(KUBECTL, ['--kubeconfig', KUBECONFIG, 'apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
  const ms = now() - t0;
  return { ms, objects: items.length, objectsPerS: items.length / (ms / 1000) };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const results = { runId: RUN_ID, rounds: ROUNDS, functions: FUNCTIONS, resyncS: RESYNC_S, host: { cpus: os.cpus().length } };
  await applyCrd();
  await createNamespace(NS);
  await createNamespace(BASE_NS);
  await until('the default service accounts', async () => (await api.request('GET', `/api/v1/namespaces/${BASE_NS}/serviceaccounts/default`)).status === 200
    && (await api.request('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status === 200, 60_000, 200);
  const metricsPort = await freePort();
  const controller = await startController(metricsPort);
  try {
    log('building and pushing the function image (nucleon deploy --platform kube, once)');
    const first = now();
    await mustRun(process.execPath, [CLI, 'deploy', 'kbench-image', '-p', FUNCTION_DIR, '--platform', 'kube', '-n', NS, '-o', 'json']);
    results.firstDeployWithBuildMs = now() - first;
    const image = (await api.must('GET', nfPath(NS, 'kbench-image'))).spec.image;
    log(`image ${image}; deploy with build and push took ${(results.firstDeployWithBuildMs / 1000).toFixed(1)} s`);
    await deleteAndWait(nfPath(NS, 'kbench-image'), 'nuclio.io/function-name=kbench-image', NS);

    const deploy = { nucleon: [], baseline: [], nucleonReady: [], baselineReady: [] };
    for (let i = 0; i < ROUNDS; i += 1) {
      const order = i % 2 === 0 ? ['nucleon', 'baseline'] : ['baseline', 'nucleon'];
      for (const which of order) {
        const name = `kb-${which === 'nucleon' ? 'n' : 'b'}-${i}`;
        if (which === 'nucleon') {
          const r = await nucleonDeploy(name, image);
          deploy.nucleon.push(r.answeredMs); deploy.nucleonReady.push(r.readyMs);
          if (i < ROUNDS - 1) await deleteAndWait(nfPath(NS, name), `nuclio.io/function-name=${name}`, NS);
        } else {
          const port = 32100 + i * 2;
          const r = await baselineDeploy(name, image, port, port + 1);
          deploy.baseline.push(r.answeredMs); deploy.baselineReady.push(r.readyMs);
          if (i < ROUNDS - 1) await deleteAndWait(deployPath(BASE_NS, name), `app=${name}`, BASE_NS);
        }
        log(`round ${i + 1}/${ROUNDS} ${which}: first response ${deploy[which].at(-1).toFixed(0)} ms, ready ${deploy[`${which}Ready`].at(-1).toFixed(0)} ms`);
      }
    }
    results.deploy = deploy;

    const change = { nucleonUpdated: [], nucleonRollout: [], baselineRollout: [] };
    const nName = `kb-n-${ROUNDS - 1}`; const bName = `kb-b-${ROUNDS - 1}`;
    for (let i = 0; i < ROUNDS; i += 1) {
      const value = `v${i + 1}`;
      const n = await changeNucleon(nName, value);
      change.nucleonUpdated.push(n.updatedMs); change.nucleonRollout.push(n.rolloutMs);
      const b = await changeBaseline(bName, value);
      change.baselineRollout.push(b.rolloutMs);
      log(`round ${i + 1}/${ROUNDS} change: Deployment updated after ${n.updatedMs.toFixed(0)} ms, rolled out ${n.rolloutMs.toFixed(0)} ms (plain Deployment ${b.rolloutMs.toFixed(0)} ms)`);
    }
    results.change = change;
    await deleteAndWait(nfPath(NS, nName), `nuclio.io/function-name=${nName}`, NS);
    await deleteAndWait(deployPath(BASE_NS, bName), `app=${bName}`, BASE_NS);

    log(`reconciling ${FUNCTIONS} functions (replicas 0)`);
    results.reconcile = await reconcileMany(image, metricsPort);
    log(`kubectl apply of the same ${FUNCTIONS * 3} objects`);
    results.baselineApply = await baselineApplyMany(image);
  } finally {
    controller.kill('SIGTERM');
    await deleteNamespace(NS);
    await deleteNamespace(BASE_NS);
    api.close();
  }
  const dir = env.BENCH_RESULTS_DIR || join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `kubernetes-${RUN_ID}.json`), JSON.stringify(results, null, 2));
  process.stdout.write(report(results));
}

function report(r) {
  const ms = (x) => `${x.toFixed(0)} ms`;
  const ratio = (a, b) => `${(a / b).toFixed(2)}x`;
  const d = r.deploy; const c = r.change; const k = r.reconcile; const b = r.baselineApply;
  return [
    `## bench/kubernetes (run ${r.runId}, ${r.host.cpus} CPUs, medians of ${r.rounds}; ratio = Nucleon / baseline, lower is faster)`, '',
    '| measure | Nucleon | baseline | ratio |', '| --- | ---: | ---: | ---: |',
    `| deploy (image built) to first response: \`nucleon deploy --platform kube\` vs \`kubectl apply\` of a plain Deployment | ${ms(median(d.nucleon))} | ${ms(median(d.baseline))} | ${ratio(median(d.nucleon), median(d.baseline))} |`,
    `| deploy (image built) to Ready: \`nucleon deploy\` returns vs the plain Deployment's pod Ready | ${ms(median(d.nucleonReady))} | ${ms(median(d.baselineReady))} | ${ratio(median(d.nucleonReady), median(d.baselineReady))} |`,
    `| NuclioFunction env change to Deployment updated (the controller's reaction) | ${ms(median(c.nucleonUpdated))} | - | - |`,
    `| env change to rollout complete: NuclioFunction vs patching the Deployment | ${ms(median(c.nucleonRollout))} | ${ms(median(c.baselineRollout))} | ${ratio(median(c.nucleonRollout), median(c.baselineRollout))} |`,
    `| ${r.functions} functions (replicas 0): objects created per second, controller vs \`kubectl apply\` of the same objects | ${k.objectsPerS.toFixed(1)}/s (${k.objects} in ${ms(k.allMs)}) | ${b.objectsPerS.toFixed(1)}/s (${b.objects} in ${ms(b.ms)}) | ${(b.objectsPerS / k.objectsPerS).toFixed(2)}x |`,
    `| API calls per reconcile (first reconciles; writes of them) | ${k.callsPerReconcile.toFixed(2)} (${k.writesPerReconcile.toFixed(2)} writes) | - | - |`,
    `| no-op resync of ${r.functions} unchanged functions: writes (goal 0) | ${k.resync.writes} writes, ${k.resync.calls} calls in ${k.resync.reconciles} reconciles | - | - |`,
    '',
    `First deploy with image build and push: ${(r.firstDeployWithBuildMs / 1000).toFixed(1)} s (info).`, '',
  ].join('\n');
}

main().catch((err) => { log(`failed: ${err.stack ?? err}`); process.exitCode = 1; });
