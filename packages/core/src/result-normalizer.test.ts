import { describe, expect, it } from 'vitest';
import { ErrorCodes } from './errors.js';
import { Response, type ResponseHeaders } from './response.js';
import { normalizeResult } from './result-normalizer.js';

const TEXT = 'text/plain; charset=utf-8';

describe('normalizeResult: plain values', () => {
  it('sends a string as UTF-8 text with status 200', () => {
    expect(normalizeResult('héllo')).toMatchObject({ body: 'héllo', contentType: TEXT, statusCode: 200, headers: {} });
  });

  it('sends a Buffer as bytes, unchanged', () => {
    const bytes = Buffer.from([0, 255, 10, 13, 128]);
    const r = normalizeResult(bytes);
    expect(r.contentType).toBe('application/octet-stream');
    expect(Buffer.compare(r.body as Buffer, bytes)).toBe(0);
  });

  it('sends exactly the viewed bytes of a Uint8Array that is a slice of a larger buffer', () => {
    const backing = new Uint8Array([9, 9, 1, 2, 3, 9]);
    const r = normalizeResult(backing.subarray(2, 5));
    expect(r.contentType).toBe('application/octet-stream');
    expect([...(r.body as Buffer)]).toEqual([1, 2, 3]);
  });

  it('sends an ArrayBuffer as bytes', () => {
    const r = normalizeResult(new Uint8Array([7, 8]).buffer);
    expect([...(r.body as Buffer)]).toEqual([7, 8]);
    expect(r.contentType).toBe('application/octet-stream');
  });

  it.each([
    [{ a: 1, b: [true, null] }, '{"a":1,"b":[true,null]}'],
    [[1, 'two'], '[1,"two"]'],
    [42, '42'],
    [false, 'false'],
  ])('sends %j as JSON', (value, json) => {
    expect(normalizeResult(value)).toMatchObject({ body: json, contentType: 'application/json', statusCode: 200 });
  });

  it.each([null, undefined])('sends %s as an empty 200', (value) => {
    expect(normalizeResult(value)).toMatchObject({ body: '', statusCode: 200 });
  });

  it.each([
    ['a function', () => 1],
    ['a symbol', Symbol('s')],
    ['a BigInt', 5n],
    ['an object holding a BigInt', { n: 5n }],
  ])('refuses %s with INVALID_RESPONSE', (_name, value) => {
    expect(() => normalizeResult(value)).toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_RESPONSE }));
  });

  it('refuses a circular object with INVALID_RESPONSE, keeping the JSON error as cause', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    let err: unknown;
    try { normalizeResult(cyclic); } catch (e) { err = e; }
    expect(err).toMatchObject({ code: ErrorCodes.INVALID_RESPONSE });
    expect((err as Error).cause).toBeInstanceOf(TypeError);
  });
});

describe('normalizeResult: Response', () => {
  it('keeps status, headers and content type of the positional Nuclio form', () => {
    const r = normalizeResult(new Response('created', { location: '/items/1' }, 'text/csv', 201));
    expect(r).toMatchObject({ body: 'created', statusCode: 201, contentType: 'text/csv', headers: { location: '/items/1' } });
  });

  it('keeps status, headers and content type of the object form', () => {
    const r = normalizeResult(new Response({ body: 'nope', statusCode: 418, contentType: 'text/x-teapot', headers: { 'x-a': 'b' } }));
    expect(r).toMatchObject({ body: 'nope', statusCode: 418, contentType: 'text/x-teapot', headers: { 'x-a': 'b' } });
  });

  it('encodes the Response body like a plain result when no content type is given', () => {
    expect(normalizeResult(new Response({ body: { ok: true }, statusCode: 202 })))
      .toMatchObject({ body: '{"ok":true}', contentType: 'application/json', statusCode: 202 });
    const bytes = normalizeResult(new Response({ body: Buffer.from([1, 2]) }));
    expect(bytes.contentType).toBe('application/octet-stream');
    expect([...(bytes.body as Buffer)]).toEqual([1, 2]);
    expect(normalizeResult(new Response({ statusCode: 204 }))).toMatchObject({ body: '', statusCode: 204 });
  });

  it('keeps numeric header values as numbers, stringifies others, and drops null and undefined', () => {
    const headers = { 'x-count': 3, 'x-flag': true, 'x-list': [1, 'a'], 'x-null': null, 'x-undef': undefined } as unknown as ResponseHeaders;
    const r = normalizeResult(new Response('ok', headers, 'text/plain', 200));
    expect(r.headers).toEqual({ 'x-count': 3, 'x-flag': 'true', 'x-list': ['1', 'a'] });
  });

  it('treats a Response-shaped object from another copy of core as a Response', () => {
    const foreign = { body: 'x', headers: { a: 'b' }, statusCode: 299, contentType: undefined };
    expect(normalizeResult(foreign)).toMatchObject({ body: 'x', statusCode: 299, contentType: TEXT, headers: { a: 'b' } });
  });

  it.each([42, 600, 200.5, Number.NaN])('refuses statusCode %s with INVALID_RESPONSE', (statusCode) => {
    expect(() => normalizeResult(new Response('x', {}, 'text/plain', statusCode)))
      .toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_RESPONSE }));
  });

  it('refuses a Response whose body cannot be encoded', () => {
    expect(() => normalizeResult(new Response({ body: () => 1 })))
      .toThrow(expect.objectContaining({ code: ErrorCodes.INVALID_RESPONSE }));
  });
});
