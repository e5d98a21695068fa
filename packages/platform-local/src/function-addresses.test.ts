import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFunctionAddress } from '@nucleon/core';
import { addressEnv, publishAddress, withdrawAddress } from './function-addresses.js';
import type { FunctionRecord } from './state-store.js';

let stateDir: string;
beforeEach(async () => { stateDir = await mkdtemp(join(tmpdir(), 'nucleon-addr-')); });
afterEach(async () => { await rm(stateDir, { recursive: true, force: true }); });

// Only the fields the addresses read; cast so fields other slices add to the record do not matter here.
const record = (name: string, hasHttpTrigger = true): FunctionRecord => ({ name, httpPort: 8123, hasHttpTrigger }) as FunctionRecord;

describe('local function addresses', () => {
  it('tells processors where addresses live and that the platform is local', () => {
    expect(addressEnv(stateDir)).toEqual({ NUCLEON_FUNCTION_ADDRESSES: join(stateDir, 'addresses'), NUCLEON_PLATFORM: 'local' });
  });

  it('publishes a ready function at 127.0.0.1:<httpPort> and withdraws it on delete', async () => {
    await publishAddress(stateDir, record('adder'));
    expect(JSON.parse(await readFile(join(stateDir, 'addresses', 'adder.json'), 'utf8'))).toEqual({ url: 'http://127.0.0.1:8123' });
    await withdrawAddress(stateDir, 'adder');
    expect(await readFunctionAddress(join(stateDir, 'addresses'), 'adder')).toBeUndefined();
  });

  it('a function without an HTTP trigger has no address', async () => {
    await publishAddress(stateDir, record('cron-only', false));
    expect(await readFunctionAddress(join(stateDir, 'addresses'), 'cron-only')).toBeUndefined();
  });
});
