import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateStore } from './state-store.js';
import { readStoredConfig } from './stored-config.js';

let store: StateStore;
beforeEach(() => {
  store = new StateStore(mkdtempSync(join(tmpdir(), 'nucleon-stored-config-')));
});
afterEach(() => rmSync(store.stateDir, { recursive: true, force: true }));

const record = {
  name: 'f', pid: 1, httpPort: 1, adminPort: 2, functionDir: '/x', createdAt: 't', runtime: 'python', handler: 'main:h', processorEntry: '/p',
};

describe('readStoredConfig', () => {
  it('reads the configuration a recorded function was deployed with', async () => {
    await store.ensureDir('f');
    await store.write(record);
    await store.writeJson(store.configFile('f'), { metadata: { name: 'f' }, spec: { runtime: 'python' } });
    expect(await readStoredConfig(store, 'f')).toEqual({ metadata: { name: 'f' }, spec: { runtime: 'python' } });
  });

  it('has nothing for a name without a record (a failed first deploy) or with an unreadable file', async () => {
    await store.ensureDir('g');
    await store.writeJson(store.configFile('g'), { metadata: { name: 'g' } });
    expect(await readStoredConfig(store, 'g')).toBeUndefined();
    await store.ensureDir('f');
    await store.write(record);
    writeFileSync(store.configFile('f'), '{half');
    expect(await readStoredConfig(store, 'f')).toBeUndefined();
  });
});
