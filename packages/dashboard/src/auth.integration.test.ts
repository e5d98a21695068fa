import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import localPlatform from '@nucleon/platform-local';
import { startDashboard } from './index.js';

// Over real HTTP: every API route refuses a caller without the token, whatever the URL's spelling.
let home: string;
let dashboard: { url: string; close(): Promise<void> };
const TOKEN = 'auth-test-token-0123456789';

beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'nucleon-dashboard-auth-'));
  const processorEntry = fileURLToPath(import.meta.resolve('@nucleon/processor/main'));
  const platform = localPlatform.create({ settings: { processorEntry, stateDir: join(home, 'local') } });
  dashboard = await startDashboard({ platform, platformName: 'local', stateDir: join(home, 'dashboard'), port: 0, auth: { token: TOKEN } });
});

afterAll(async () => {
  await dashboard.close();
  await rm(home, { recursive: true, force: true });
});

const call = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${dashboard.url}${path}`, init);

describe('dashboard auth', () => {
  it('answers every route of its own OpenAPI document with 401 without the right token', async () => {
    const doc = await (await call('/api/openapi.json', { headers: { authorization: `Bearer ${TOKEN}` } })).json() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).filter(([path]) => path.startsWith('/api/')).flatMap(([path, methods]) => Object.keys(methods).map((method) => [method.toUpperCase(), path.replace(/\{[^}]+\}/g, 'x')] as const));
    expect(routes.length).toBeGreaterThan(10);
    // fetch cannot send TRACE or CONNECT; OPTIONS is refused before auth (the last test).
    const SENDABLE = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
    for (const [method, path] of routes.filter(([m]) => SENDABLE.has(m))) {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: TOKEN }]) {
        const res = await call(path, { method, headers });
        expect([method, path, res.status]).toEqual([method, path, 401]);
      }
    }
  });

  it('refuses a percent-encoded spelling of an API path', async () => {
    for (const path of ['/%61pi/functions', '/api/%66unctions', '/api/functions/']) {
      const res = await call(path);
      expect([path, res.status]).not.toEqual([path, 200]);
      expect(await res.text()).not.toContain('"metadata"');
    }
  });

  it('serves the UI and /healthz without a token, and refuses a cross-origin preflight', async () => {
    expect((await call('/healthz')).status).toBe(200);
    expect(await (await call('/')).text()).toContain('<script type="module"');
    // The bundle goes out compressed (built once, not per request): under the 300 KB goal.
    const app = await call('/app.js', { headers: { 'accept-encoding': 'gzip' } });
    expect(app.headers.get('content-encoding')).toBe('gzip');
    expect(Number(app.headers.get('content-length'))).toBeLessThan(300 * 1024);
    expect((await call('/api/functions', { method: 'OPTIONS' })).status).toBe(403);
  });
});
