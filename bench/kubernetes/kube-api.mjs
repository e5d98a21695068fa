// A minimal Kubernetes API client for the benchmark: HTTPS with the admin kubeconfig's embedded
// certificates, keep-alive, JSON in and out. Plain ESM, Node built-ins only, so the figures
// measure the cluster and the controller, not a client library.
import { execFileSync } from 'node:child_process';
import https from 'node:https';

/** Reads a kubeconfig through kubectl (which resolves the current context) into TLS options. */
export function loadKubeconfig(kubectl, kubeconfig) {
  const view = JSON.parse(execFileSync(kubectl, ['--kubeconfig', kubeconfig, 'config', 'view', '--raw', '--minify', '-o', 'json'], { encoding: 'utf8' }));
  const cluster = view.clusters[0].cluster;
  const user = view.users[0].user;
  const b64 = (value) => (value ? Buffer.from(value, 'base64') : undefined);
  const url = new URL(cluster.server);
  if (url.hostname !== '127.0.0.1' && url.hostname !== 'localhost') {
    throw new Error(`bench/kubernetes runs against a loopback API server only; the kubeconfig names ${cluster.server}`);
  }
  return {
    host: url.hostname, port: Number(url.port || 443),
    ca: b64(cluster['certificate-authority-data']), cert: b64(user['client-certificate-data']), key: b64(user['client-key-data']),
  };
}

export function kubeApi(tls) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 8, ...tls });
  let calls = 0;
  /** One request; resolves { status, body } (body parsed when JSON). Never throws on a status. */
  function request(method, path, body, contentType = 'application/json') {
    calls += 1;
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
      const req = https.request({
        agent, host: tls.host, port: tls.port, method, path,
        headers: { accept: 'application/json', ...(payload ? { 'content-type': contentType, 'content-length': payload.length } : {}) },
        timeout: 30_000,
      }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
          resolve({ status: res.statusCode, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }
  /** Like request, but a status other than `ok` (default 2xx) rejects with the server's message. */
  async function must(method, path, body, contentType) {
    const res = await request(method, path, body, contentType);
    if (res.status < 200 || res.status > 299) throw new Error(`${method} ${path}: ${res.status} ${res.body?.message ?? JSON.stringify(res.body).slice(0, 300)}`);
    return res.body;
  }
  return { request, must, calls: () => calls, close: () => agent.destroy() };
}
