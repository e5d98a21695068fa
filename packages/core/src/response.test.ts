import { describe, expect, it } from 'vitest';
import { Response, isResponse } from './response.js';

describe('Response', () => {
  it('takes Nuclio\'s positional form (body, headers, contentType, statusCode)', () => {
    const r = new Response('created', { 'x-id': '7' }, 'text/plain', 201);
    expect(r).toMatchObject({ body: 'created', headers: { 'x-id': '7' }, contentType: 'text/plain', statusCode: 201 });
  });

  it('takes the object form', () => {
    const r = new Response({ body: { ok: true }, headers: { a: 'b' }, contentType: 'application/json', statusCode: 202 });
    expect(r).toMatchObject({ body: { ok: true }, headers: { a: 'b' }, contentType: 'application/json', statusCode: 202 });
  });

  it('defaults status 200, no headers, no content type', () => {
    for (const r of [new Response('x'), new Response({ body: 'x' }), new Response()]) {
      expect(r.statusCode).toBe(200);
      expect(r.headers).toEqual({});
      expect(r.contentType).toBeUndefined();
    }
    expect(new Response().body).toBeUndefined();
  });

  it('keeps bytes as the body', () => {
    const bytes = Buffer.from([0, 1, 2, 255]);
    expect(new Response(bytes, {}, 'application/octet-stream').body).toBe(bytes);
    expect(new Response(new Uint8Array([1])).body).toEqual(new Uint8Array([1]));
  });

  it('treats an object with other keys as a body in the positional form', () => {
    const payload = { body: 'inner', user: 'ann' } as unknown as string;
    expect(new Response(payload, {}, 'application/json', 200).body).toEqual({ body: 'inner', user: 'ann' });
    expect(new Response({} as unknown as string).body).toEqual({});
  });

  it('takes null as an empty body in the positional form', () => {
    expect(new Response(null, {}, undefined, 204)).toMatchObject({ body: null, statusCode: 204 });
  });
});

describe('isResponse', () => {
  it('is true for a Response', () => {
    expect(isResponse(new Response('x'))).toBe(true);
  });

  it('is true for a Response-shaped object from another copy of the package', () => {
    expect(isResponse({ body: 'x', headers: {}, contentType: 'text/plain', statusCode: 200 })).toBe(true);
  });

  it.each([
    ['a string', 'x'], ['null', null], ['undefined', undefined], ['bytes', Buffer.from('x')],
    ['an object without statusCode', { body: 'x', headers: {} }],
    ['a non-numeric statusCode', { body: 'x', headers: {}, statusCode: '200' }],
    ['plain JSON', { ok: true }],
  ])('is false for %s', (_label, value) => {
    expect(isResponse(value)).toBe(false);
  });
});
