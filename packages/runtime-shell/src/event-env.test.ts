import { describe, expect, it } from 'vitest';
import { validateFunctionConfig } from '@nucleon/core';
import { createTestEvent } from '@nucleon/core/testing';
import { envName, eventEnv, functionEnv } from './event-env.js';

describe('functionEnv', () => {
  it('is the processor env, then spec.env, then Nuclio\'s function variables', () => {
    const { config } = validateFunctionConfig({
      metadata: { name: 'rev' },
      spec: { runtime: 'shell', handler: 'rev.sh', description: 'reverses', env: [{ name: 'A', value: 'from spec' }] },
    });
    const env = functionEnv(config, { PATH: '/bin', A: 'from processor', UNSET: undefined });
    expect(env).toEqual({
      PATH: '/bin', A: 'from spec', NUCLIO_FUNCTION_NAME: 'rev', NUCLIO_FUNCTION_DESCRIPTION: 'reverses', NUCLIO_FUNCTION_VERSION: '-1',
    });
  });
});

describe('eventEnv', () => {
  const event = createTestEvent({
    id: 'ev-1', method: 'PUT', path: '/items/7', url: '/items/7?q=1', contentType: 'application/json',
    headers: { 'x-request-id': 'r1', accept: ['a', 'b'], 'x-gone': undefined },
    fields: { q: '1', 'tag-list': ['x', 'y'], nul: 'a\0b' },
    timestamp: new Date('2024-05-06T07:08:09.123Z'), trigger: { kind: 'http', name: 'web' },
  });

  it('sets Nuclio\'s NUCLIO_EVENT_* names', () => {
    expect(eventEnv(event, {})).toMatchObject({
      NUCLIO_EVENT_ID: 'ev-1', NUCLIO_EVENT_METHOD: 'PUT', NUCLIO_EVENT_PATH: '/items/7', NUCLIO_EVENT_URL: '/items/7?q=1',
      NUCLIO_EVENT_CONTENT_TYPE: 'application/json', NUCLIO_EVENT_TIMESTAMP: '2024-05-06T07:08:09Z', NUCLIO_TRIGGER_KIND: 'http',
      NUCLIO_EVENT_SHARD_ID: '0',
    });
  });

  it('sets NUCLEON_EVENT_* with every header and query field, leaving out what cannot be an env value', () => {
    const env = eventEnv(event, { KEEP: 'me' });
    expect(env).toMatchObject({
      KEEP: 'me', NUCLEON_EVENT_METHOD: 'PUT', NUCLEON_EVENT_PATH: '/items/7', NUCLEON_EVENT_CONTENT_TYPE: 'application/json',
      NUCLEON_EVENT_HEADER_X_REQUEST_ID: 'r1', NUCLEON_EVENT_HEADER_ACCEPT: 'a, b', NUCLEON_EVENT_FIELD_Q: '1',
      NUCLEON_EVENT_FIELD_TAG_LIST: 'x,y', NUCLEON_TRIGGER_KIND: 'http', NUCLEON_TRIGGER_NAME: 'web',
      NUCLEON_EVENT_TIMESTAMP: '2024-05-06T07:08:09.123Z',
    });
    expect(env).not.toHaveProperty('NUCLEON_EVENT_HEADER_X_GONE');
    expect(env).not.toHaveProperty('NUCLEON_EVENT_FIELD_NUL');
    expect(env).not.toHaveProperty('NUCLEON_EVENT_TOPIC');
  });

  it('sets Nuclio\'s type, type version and version only when the source gave them', () => {
    const typed = createTestEvent({ type: 'com.example.order', typeVersion: '2', version: '1.0' });
    expect(eventEnv(typed, {})).toMatchObject({ NUCLEON_EVENT_TYPE: 'com.example.order', NUCLEON_EVENT_TYPE_VERSION: '2', NUCLEON_EVENT_VERSION: '1.0' });
    expect(Object.keys(eventEnv(event, {})).filter((name) => /^NUCLEON_EVENT_(TYPE|VERSION)/.test(name))).toEqual([]);
  });

  it('never lets a header name choose a variable outside its prefix', () => {
    const env = eventEnv(createTestEvent({ headers: { path: '/evil', 'ld_preload=x': 'y' } }), { PATH: '/bin' });
    expect(env.PATH).toBe('/bin');
    expect(env.NUCLEON_EVENT_HEADER_PATH).toBe('/evil');
    expect(env.NUCLEON_EVENT_HEADER_LD_PRELOAD_X).toBe('y');
    expect(envName('Content-Type')).toBe('CONTENT_TYPE');
  });
});
