import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  ApiException, ApiextensionsV1Api, CoreV1Api, CustomObjectsApi, KubeConfig, type V1CustomResourceDefinition,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUCLIO_CRD_NAME, nuclioFunctionCrd } from './crd.js';
import { NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_PLURAL } from './resource.js';

// Against the real API server: CI starts it (scripts/services/kubernetes.sh start). Nothing is
// skipped: without a cluster this fails, saying so.
const cache = process.env.NUCLEON_CACHE ?? join(homedir(), '.cache', 'nucleon');
const kubeconfigPath = [process.env.KUBECONFIG, join(homedir(), '.kube', 'config'), join(cache, 'kubernetes-data', 'admin.kubeconfig')]
  .find((path) => path !== undefined && path !== '' && existsSync(path));
const namespace = `nucleon-test-${randomBytes(4).toString('hex')}`;

let core: CoreV1Api;
let extensions: ApiextensionsV1Api;
let objects: CustomObjectsApi;

beforeAll(async () => {
  if (!kubeconfigPath) {
    throw new Error(`no kubeconfig (KUBECONFIG, ~/.kube/config or ${cache}/kubernetes-data/admin.kubeconfig): start the cluster with scripts/services/kubernetes.sh start`);
  }
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  core = kc.makeApiClient(CoreV1Api);
  extensions = kc.makeApiClient(ApiextensionsV1Api);
  objects = kc.makeApiClient(CustomObjectsApi);
  try {
    await core.listNamespace({ limit: 1 });
  } catch (err) {
    throw new Error(`no Kubernetes API server answers at ${kc.getCurrentCluster()?.server} (kubeconfig ${kubeconfigPath}): ` +
      `${(err as Error).message}; start it with scripts/services/kubernetes.sh start`);
  }
  await applyCrd(nuclioFunctionCrd());
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});

afterAll(async () => {
  // The CRD stays: other suites and users share it; the test namespace goes.
  await core?.deleteNamespace({ name: namespace }).catch(() => undefined);
});

/** Create, or replace what is there (keeping its resourceVersion), then wait until Established. */
async function applyCrd(crd: V1CustomResourceDefinition): Promise<void> {
  try {
    const existing = await extensions.readCustomResourceDefinition({ name: NUCLIO_CRD_NAME });
    crd.metadata = { ...crd.metadata, resourceVersion: existing.metadata?.resourceVersion };
    await extensions.replaceCustomResourceDefinition({ name: NUCLIO_CRD_NAME, body: crd });
  } catch (err) {
    if (!(err instanceof ApiException) || err.code !== 404) throw err;
    await extensions.createCustomResourceDefinition({ body: crd });
  }
  // Bounded: 30 s.
  for (let i = 0; i < 60; i++) {
    const current = await extensions.readCustomResourceDefinition({ name: NUCLIO_CRD_NAME });
    if (current.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`CRD ${NUCLIO_CRD_NAME} not Established after 30 s`);
}

function nuclioFunction(name: string, spec: Record<string, unknown>) {
  return { apiVersion: `${NUCLIO_API_GROUP}/${NUCLIO_API_VERSION}`, kind: 'NuclioFunction', metadata: { name }, spec };
}

async function create(body: object): Promise<Record<string, any>> {
  return objects.createNamespacedCustomObject({ group: NUCLIO_API_GROUP, version: NUCLIO_API_VERSION, namespace, plural: NUCLIO_PLURAL, body });
}

async function refusal(body: object): Promise<string> {
  try {
    await create(body);
  } catch (err) {
    if (err instanceof ApiException) {
      expect(err.code).toBe(422);
      return String(err.body);
    }
    throw err;
  }
  throw new Error('expected the API server to refuse the resource');
}

describe('the NuclioFunction CRD on a real API server', () => {
  it('stores a Nuclio function, keeping fields Nucleon does not know', async () => {
    const stored = await create(nuclioFunction('hello', {
      runtime: 'nodejs', handler: 'main:handler', image: '127.0.0.1:5000/hello:1', replicas: 2,
      env: [{ name: 'N', value: 3 }, { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }],
      resources: { limits: { cpu: 2, memory: '1Gi', 'nvidia.com/gpu': 1 } },
      triggers: { web: { kind: 'http', maxWorkers: 4, attributes: { port: 8080, ingresses: { a: { host: 'h', paths: ['/'] } } } } },
      tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
      serviceType: 'NodePort', targetCPU: 50, loggerSinks: [{ level: 'debug' }], build: { commands: ['true'], functionSourceCode: 'eA==' },
    }));
    expect(stored.spec.replicas).toBe(2);
    expect(stored.spec.loggerSinks).toEqual([{ level: 'debug' }]);
    expect(stored.spec.build.functionSourceCode).toBe('eA==');
    expect(stored.spec.triggers.web.attributes.ingresses).toEqual({ a: { host: 'h', paths: ['/'] } });
  });

  it('refuses spec.replicas: "two", naming the field', async () => {
    const body = await refusal(nuclioFunction('two', { runtime: 'nodejs', replicas: 'two' }));
    expect(body).toContain('spec.replicas');
    expect(body).toMatch(/must be of type integer|Invalid value/);
  });

  it('refuses a targetCPU over 100 and an unknown serviceType, naming each field', async () => {
    const body = await refusal(nuclioFunction('bad', { runtime: 'nodejs', targetCPU: 101, serviceType: 'Headless' }));
    expect(body).toContain('spec.targetCPU');
    expect(body).toContain('spec.serviceType');
  });
});
