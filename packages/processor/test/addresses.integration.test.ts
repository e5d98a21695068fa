import { describe, expect, it } from 'vitest';
import type { TriggerAddress } from '@nucleon/core';
import { functionDir, functionYaml, listeningAddresses, startProcessor } from '../src/testing/index.js';

const TWO_HTTP = '    a:\n      kind: http\n    b:\n      kind: http\n      attributes:\n        port: 0\n';

describe('GET /addresses on the admin server', () => {
  it('lists every HTTP trigger of a two-HTTP-trigger function, each on 127.0.0.1, and each answers', async () => {
    const dir = functionDir({ 'function.yaml': functionYaml({ name: 'two-http', trigger: TWO_HTTP }), 'main.js': 'exports.handler = () => "hi";' });
    const p = await startProcessor(dir, { env: { NUCLEON_HTTP_DEFAULT_HOST: '127.0.0.1' } });
    try {
      const res = await fetch(`${p.adminUrl}/addresses`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('application/json');
      const { addresses } = (await res.json()) as { addresses: TriggerAddress[] };
      expect(addresses.map((a) => [a.trigger, a.kind])).toEqual([['a', 'http'], ['b', 'http']]);
      expect(addresses[0]!.url).toBe(p.url);
      for (const { url } of addresses) {
        expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(new URL(url).port).not.toBe('0');
        expect((await fetch(url)).status).toBe(200);
      }
      // Nothing listens that /addresses does not name, besides the admin server itself.
      const admin = new URL(p.adminUrl);
      expect(listeningAddresses(p.child.pid!)).toEqual(
        [...addresses.map((a) => new URL(a.url).host), `${admin.hostname}:${admin.port}`].sort());
    } finally {
      await p.stop();
    }
  });
});
