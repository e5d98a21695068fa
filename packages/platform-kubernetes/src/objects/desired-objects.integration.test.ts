import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  ApiException, ApiextensionsV1Api, AppsV1Api, AutoscalingV2Api, CoreV1Api, CustomObjectsApi, KubeConfig, NetworkingV1Api,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NUCLIO_CRD_NAME, nuclioFunctionCrd } from './crd.js';
import { desiredObjects } from './desired-objects.js';
import { functionConfigOf } from './function-config.js';
import { differs } from './object-diff.js';
import { NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_PLURAL, type NuclioFunctionResource } from './resource.js';

// The objects desiredObjects makes, created on the real API server: accepted as they are, and
// what the server returns (defaults, canonical quantities) compares equal to them, so a
// reconcile of an unchanged function writes nothing. Fails, saying so, without a cluster.
const cache = process.env.NUCLEON_CACHE ?? join(homedir(), '.cache', 'nucleon');
const kubeconfigPath = [process.env.KUBECONFIG, join(homedir(), '.kube', 'config'), join(cache, 'kubernetes-data', 'admin.kubeconfig')]
  .find((path) => path !== undefined && path !== '' && existsSync(path));
const namespace = `nucleon-test-${randomBytes(4).toString('hex')}`;
let kc: KubeConfig;

beforeAll(async () => {
  if (!kubeconfigPath) throw new Error('no kubeconfig: start the cluster with scripts/services/kubernetes.sh start');
  kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  const core = kc.makeApiClient(CoreV1Api);
  try {
    await core.listNamespace({ limit: 1 });
  } catch (err) {
    throw new Error(`no Kubernetes API server answers (kubeconfig ${kubeconfigPath}): ${(err as Error).message}; start it with scripts/services/kubernetes.sh start`);
  }
  const extensions = kc.makeApiClient(ApiextensionsV1Api);
  await extensions.createCustomResourceDefinition({ body: nuclioFunctionCrd() }).catch((err: unknown) => {
    if (!(err instanceof ApiException) || err.code !== 409) throw err;
  });
  for (let i = 0; i < 60; i++) {
    const crd = await extensions.readCustomResourceDefinition({ name: NUCLIO_CRD_NAME });
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});

afterAll(async () => {
  await kc?.makeApiClient(CoreV1Api).deleteNamespace({ name: namespace }).catch(() => undefined);
});

describe('desiredObjects on a real API server', () => {
  it('are accepted, and what the server returns does not differ from them', async () => {
    const custom = kc.makeApiClient(CustomObjectsApi);
    const resource = await custom.createNamespacedCustomObject({
      group: NUCLIO_API_GROUP, version: NUCLIO_API_VERSION, namespace, plural: NUCLIO_PLURAL,
      body: {
        apiVersion: `${NUCLIO_API_GROUP}/${NUCLIO_API_VERSION}`, kind: 'NuclioFunction', metadata: { name: 'gpu-fn', labels: { team: 'a' } },
        spec: {
          runtime: 'nodejs', handler: 'main:handler', image: '127.0.0.1:5000/gpu-fn:1', minReplicas: 1, maxReplicas: 3,
          env: [{ name: 'A', value: '1' }, { name: 'S', valueFrom: { secretKeyRef: { name: 's', key: 'k', optional: true } } }],
          resources: { limits: { 'nvidia.com/gpu': 1, cpu: '2000m', memory: '1024Mi' }, requests: { cpu: '0.5', memory: '512Mi' } },
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }], nodeSelector: { gpu: 'yes' },
          volumes: [{ volume: { name: 'scratch', emptyDir: { sizeLimit: '1024Mi' } }, volumeMount: { name: 'scratch', mountPath: '/scratch' } }],
          serviceType: 'NodePort',
          triggers: { web: { kind: 'http', attributes: { ingresses: { a: { host: 'gpu.example.com', paths: ['/'] } } } } },
        },
      },
    }) as NuclioFunctionResource;
    const { config, problems } = functionConfigOf(resource);
    expect(problems).toEqual([]);
    const desired = desiredObjects(resource, config!, { http: 31234, admin: 31235 });
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const autoscaling = kc.makeApiClient(AutoscalingV2Api);
    const networking = kc.makeApiClient(NetworkingV1Api);
    // Stored under names no controller uses (a controller watching every namespace, another
    // suite's, may be making nuclio-gpu-fn's own objects right now), without pods (replicas 0).
    const probe = <T extends { metadata?: { name?: string } }>(object: T): T =>
      ({ ...object, metadata: { ...object.metadata, name: `probe-${kindSuffix(object)}` } });
    const kindSuffix = (object: object): string => String((object as { kind?: string }).kind).toLowerCase();
    const stored = {
      configMap: probe(desired.configMap),
      deployment: { ...probe(desired.deployment), spec: { ...desired.deployment.spec!, replicas: 0 } },
      service: probe(desired.service),
      hpa: { ...probe(desired.hpa!), spec: { ...desired.hpa!.spec!, scaleTargetRef: { ...desired.hpa!.spec!.scaleTargetRef, name: 'probe-deployment' } } },
      ingress: probe(desired.ingress!),
    };
    const created = {
      configMap: await core.createNamespacedConfigMap({ namespace, body: stored.configMap }),
      deployment: await apps.createNamespacedDeployment({ namespace, body: stored.deployment }),
      service: await core.createNamespacedService({ namespace, body: stored.service }),
      hpa: await autoscaling.createNamespacedHorizontalPodAutoscaler({ namespace, body: stored.hpa }),
      ingress: await networking.createNamespacedIngress({ namespace, body: stored.ingress }),
    };
    const read = {
      configMap: await core.readNamespacedConfigMap({ namespace, name: 'probe-configmap' }),
      deployment: await apps.readNamespacedDeployment({ namespace, name: 'probe-deployment' }),
      service: await core.readNamespacedService({ namespace, name: 'probe-service' }),
      hpa: await autoscaling.readNamespacedHorizontalPodAutoscaler({ namespace, name: 'probe-horizontalpodautoscaler' }),
      ingress: await networking.readNamespacedIngress({ namespace, name: 'probe-ingress' }),
    };
    for (const kind of ['configMap', 'deployment', 'service', 'hpa', 'ingress'] as const) {
      expect(differs(stored[kind], created[kind]), `${kind} as created`).toBe(false);
      expect(differs(stored[kind], read[kind]), `${kind} as read back`).toBe(false);
    }
    // The server did rewrite what it canonicalises, and fill in its defaults.
    const container = read.deployment.spec?.template.spec?.containers[0];
    expect(container?.resources?.limits).toMatchObject({ cpu: '2', memory: '1Gi' });
    expect(container?.terminationMessagePath).toBe('/dev/termination-log');
    expect(read.deployment.spec?.strategy).toEqual({ type: 'Recreate' });
    // A change to the function shows.
    const changed = desiredObjects(resource, { ...config!, spec: { ...config!.spec, env: [{ name: 'A', value: '2' }] } }, { http: 31234, admin: 31235 });
    expect(differs({ ...probe(changed.deployment), spec: { ...changed.deployment.spec!, replicas: 0 } }, read.deployment)).toBe(true);
    expect(differs(probe(changed.configMap), read.configMap)).toBe(true);

    // Owned by the resource: deleting it garbage-collects every object (bounded wait, 30 s).
    const left = async (): Promise<string[]> => {
      const lists = await Promise.all([
        core.listNamespacedConfigMap({ namespace }), apps.listNamespacedDeployment({ namespace }), core.listNamespacedService({ namespace }),
        autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace }), networking.listNamespacedIngress({ namespace }),
      ]);
      return lists.flatMap((list) => list.items.map((item) => item.metadata?.name ?? '')).filter((name) => name.startsWith('probe-'));
    };
    expect((await left()).sort()).toEqual(['probe-configmap', 'probe-deployment', 'probe-horizontalpodautoscaler', 'probe-ingress', 'probe-service']);
    await custom.deleteNamespacedCustomObject({ group: NUCLIO_API_GROUP, version: NUCLIO_API_VERSION, namespace, plural: NUCLIO_PLURAL, name: 'gpu-fn' });
    let remaining = await left();
    for (let i = 0; i < 60 && remaining.length > 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      remaining = await left();
    }
    expect(remaining).toEqual([]);
  }, 60_000);
});
