import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEPLOYMENTS, FUNCTIONS } from './kube-resources.js';
import { restKubeClient } from './rest-client.js';

let server: Server;
let seen: Array<{ method: string; url: string; body: string; auth?: string }>;
let answer: (req: IncomingMessage) => [number, unknown];

function client() {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true }],
    users: [{ name: 'u', token: 'secret-token' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return restKubeClient(kc);
}

beforeEach(async () => {
  seen = [];
  answer = () => [200, { kind: 'Thing', metadata: { name: 'x' } }];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, body, auth: req.headers.authorization });
      const [status, payload] = answer(req);
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(payload));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterEach(async () => { await new Promise((r) => server.close(r)); });

describe('restKubeClient', () => {
  it('sends each verb to its REST path with the kubeconfig credentials', async () => {
    const c = client();
    const body = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', resourceVersion: '7' } };
    await c.get(DEPLOYMENTS, 'ns', 'd');
    await c.list(DEPLOYMENTS, '*', 'app.kubernetes.io/managed-by=nucleon');
    await c.create(DEPLOYMENTS, 'ns', body);
    await c.replace(DEPLOYMENTS, 'ns', 'd', body);
    await c.replaceStatus(FUNCTIONS, 'ns', 'f', body);
    await c.delete(DEPLOYMENTS, 'ns', 'd');
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      'GET /apis/apps/v1/namespaces/ns/deployments/d',
      'GET /apis/apps/v1/deployments?labelSelector=app.kubernetes.io%2Fmanaged-by%3Dnucleon',
      'POST /apis/apps/v1/namespaces/ns/deployments',
      'PUT /apis/apps/v1/namespaces/ns/deployments/d',
      'PUT /apis/nuclio.io/v1beta1/namespaces/ns/nucliofunctions/f/status',
      'DELETE /apis/apps/v1/namespaces/ns/deployments/d',
    ]);
    expect(seen.every((s) => s.auth === 'Bearer secret-token')).toBe(true);
    expect(JSON.parse(seen[3]!.body)).toEqual(body);
    expect(JSON.parse(seen[5]!.body)).toMatchObject({ propagationPolicy: 'Background' });
  });

  it('reads a 404 as absent (get, delete) and any other failure as NUCLEON_ERR_KUBE_API with the status', async () => {
    const c = client();
    answer = () => [404, { kind: 'Status', reason: 'NotFound', message: 'deployments "d" not found' }];
    expect(await c.get(DEPLOYMENTS, 'ns', 'd')).toBeUndefined();
    await c.delete(DEPLOYMENTS, 'ns', 'd');
    answer = () => [409, { kind: 'Status', reason: 'Conflict', message: 'the object has been modified' }];
    await expect(c.replace(DEPLOYMENTS, 'ns', 'd', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } }))
      .rejects.toMatchObject({ code: 'NUCLEON_ERR_KUBE_API', details: { statusCode: 409, reason: 'Conflict' }, message: expect.stringContaining('the object has been modified') });
  });
});
