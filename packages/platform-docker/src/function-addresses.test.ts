import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFunctionAddress } from '@nucleon/core';
import { addressesDir, publishAddress, withAddresses, withdrawAddress } from './function-addresses.js';

let dir: string;
beforeEach(async () => { dir = join(await mkdtemp(join(tmpdir(), 'nucleon-docker-addr-')), 'addresses'); });
afterEach(async () => { await rm(join(dir, '..'), { recursive: true, force: true }); });

describe('docker function addresses', () => {
  it('live under NUCLEON_HOME, else the XDG state folder', () => {
    expect(addressesDir({ NUCLEON_HOME: '/h' })).toBe('/h/docker/addresses');
    expect(addressesDir({ XDG_STATE_HOME: '/x' }, '/home/u')).toBe('/x/nucleon/docker/addresses');
    expect(addressesDir({}, '/home/u')).toBe('/home/u/.local/state/nucleon/docker/addresses');
  });

  it('are mounted read-only at the same path, with the env the processor reads', async () => {
    const spec = await withAddresses({ Image: 'fn:1', Env: ['A=1'], HostConfig: { NetworkMode: 'host' } }, dir);
    expect(spec.Env).toEqual(['A=1', `NUCLEON_FUNCTION_ADDRESSES=${dir}`, 'NUCLEON_PLATFORM=docker']);
    expect(spec.HostConfig).toEqual({ NetworkMode: 'host', Binds: [`${dir}:${dir}:ro`] });
    expect((await stat(dir)).isDirectory()).toBe(true);
  });

  it('are published for functions with an HTTP trigger and withdrawn on delete', async () => {
    await publishAddress('adder', 8123, true, dir);
    expect(await readFunctionAddress(dir, 'adder')).toEqual({ url: 'http://127.0.0.1:8123' });
    await publishAddress('cron-only', 8124, false, dir);
    expect(await readFunctionAddress(dir, 'cron-only')).toBeUndefined();
    await withdrawAddress('adder', dir);
    expect(await readFunctionAddress(dir, 'adder')).toBeUndefined();
  });
});
