import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { kubeApiError, statusCodeOf, type KubeClient, type KubeObject, type KubeObjectList } from './kube-client.js';
import { collectionPath, type KubeResource } from './kube-resources.js';

/** Bounds one API call, so a hung connection fails the reconcile instead of stalling a worker. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * The real `KubeClient`: plain JSON over HTTPS to the current context's server, with the
 * kubeconfig's credentials (client certificate, token, exec plugin) applied by client-node.
 * Objects stay the server's JSON, so what the controller compares is what the server stores
 * (client-node's model classes would turn timestamps into Dates and drop unknown fields).
 */
export function restKubeClient(kubeConfig: KubeConfig): KubeClient {
  const cluster = kubeConfig.getCurrentCluster();
  if (!cluster) throw kubeApiError(0, 'the kubeconfig has no current cluster');
  const server = new URL(cluster.server);

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const options: https.RequestOptions = {
      method, protocol: server.protocol, hostname: server.hostname, port: server.port,
      path: server.pathname.replace(/\/$/, '') + path,
      headers: { accept: 'application/json', ...(payload ? { 'content-type': 'application/json', 'content-length': payload.length } : {}) },
      timeout: REQUEST_TIMEOUT_MS,
    };
    await kubeConfig.applyToHTTPSOptions(options);
    const transport = server.protocol === 'http:' ? http : https;
    return new Promise<T>((resolve, reject) => {
      const req = transport.request(options, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          let parsed: unknown;
          try { parsed = text ? JSON.parse(text) : undefined; } catch { parsed = undefined; }
          if (status >= 200 && status < 300) return resolve(parsed as T);
          const problem = parsed as { message?: string; reason?: string } | undefined;
          reject(kubeApiError(status, `${method} ${path}: ${status} ${problem?.message ?? text.slice(0, 200)}`, problem?.reason));
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  const objectPath = (resource: KubeResource, namespace: string, name: string) =>
    `${collectionPath(resource, namespace)}/${encodeURIComponent(name)}`;

  return {
    async get<T extends KubeObject>(resource: KubeResource, namespace: string, name: string) {
      try {
        return await call<T>('GET', objectPath(resource, namespace, name));
      } catch (err) {
        if (statusCodeOf(err) === 404) return undefined;
        throw err;
      }
    },
    list<T extends KubeObject>(resource: KubeResource, namespace: string, labelSelector?: string) {
      const query = labelSelector ? `?labelSelector=${encodeURIComponent(labelSelector)}` : '';
      return call<KubeObjectList<T>>('GET', collectionPath(resource, namespace) + query);
    },
    create<T extends KubeObject>(resource: KubeResource, namespace: string, body: T) {
      return call<T>('POST', collectionPath(resource, namespace), body);
    },
    replace<T extends KubeObject>(resource: KubeResource, namespace: string, name: string, body: T) {
      return call<T>('PUT', objectPath(resource, namespace, name), body);
    },
    replaceStatus<T extends KubeObject>(resource: KubeResource, namespace: string, name: string, body: T) {
      return call<T>('PUT', `${objectPath(resource, namespace, name)}/status`, body);
    },
    async delete(resource: KubeResource, namespace: string, name: string) {
      try {
        await call('DELETE', objectPath(resource, namespace, name), { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' });
      } catch (err) {
        if (statusCodeOf(err) !== 404) throw err;
      }
    },
  };
}
