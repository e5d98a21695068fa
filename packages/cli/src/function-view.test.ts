import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateFunctionConfig, type FunctionStatus, type Platform } from '@nucleon/core';
import { functionView, viewsYaml, wideTable } from './function-view.js';

const config = validateFunctionConfig({
  metadata: { name: 'two-http' },
  spec: { runtime: 'nodejs', handler: 'main:handler', triggers: { a: { kind: 'http' }, b: { kind: 'http', attributes: { port: 0 } } } },
}).config;
const addresses = [{ trigger: 'a', kind: 'http', url: 'http://127.0.0.1:8080' }, { trigger: 'b', kind: 'http', url: 'http://127.0.0.1:41234' }];
const status: FunctionStatus = {
  name: 'two-http', platform: 'double', state: 'ready', url: 'http://127.0.0.1:8080', httpPort: 8080, runtime: 'nodejs', handler: 'main:handler',
  createdAt: '2026-12-02T00:00:00.000Z', addresses, restarts: 3,
};

/** A platform double that knows one function. */
const platform = { getConfig: async () => config } as unknown as Platform;

describe('get output of a function with two HTTP triggers (platform double)', () => {
  it('-o wide lists every URL and the restarts', async () => {
    const out = wideTable([await functionView(platform, status)]);
    const [header, row] = out.trimEnd().split('\n');
    expect(header).toMatch(/^NAME\s+STATE\s+URL\s+RUNTIME\s+HANDLER\s+REPLICAS\s+TRIGGERS\s+CREATED\s+RESTARTS$/);
    expect(row).toMatch(/^two-http\s+ready\s+http:\/\/127\.0\.0\.1:8080,http:\/\/127\.0\.0\.1:41234\s+nodejs\s+main:handler\s+1\s+a\(http\),b\(http\)\s+2026-12-02T00:00:00\.000Z\s+3$/);
  });

  it('-o wide shows - for restarts a platform does not count', async () => {
    const { restarts: _, ...uncounted } = status;
    expect(wideTable([await functionView(platform, uncounted)]).trimEnd().split('\n')[1]).toMatch(/\s-$/);
  });

  it('-o json and -o yaml carry the addresses list and restarts under status', async () => {
    const view = await functionView(platform, status);
    expect(JSON.parse(JSON.stringify(view)).status).toMatchObject({ url: status.url, addresses, restarts: 3 });
    expect((parse(viewsYaml([view])) as { status: unknown }).status).toMatchObject({ addresses, restarts: 3 });
  });
});
