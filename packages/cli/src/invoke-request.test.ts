import { describe, expect, it } from 'vitest';
import { buildInvokeRequest } from './invoke-request.js';

describe('buildInvokeRequest', () => {
  it('defaults to GET without a body and POST with one, guessing the content type', () => {
    expect(buildInvokeRequest({})).toEqual({ method: 'GET', path: '/', headers: {}, body: undefined });
    expect(buildInvokeRequest({ body: '{"a":1}' })).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(buildInvokeRequest({ body: 'plain' }).headers['content-type']).toBe('text/plain');
  });

  it('takes curl-style -H and nuctl-style -d headers, and -c over both', () => {
    const request = buildInvokeRequest({
      method: 'put', body: 'x', header: ['X-One: 1', 'Content-Type: a/b'], headers: 'x-two=2,x-three=3', path: 'items',
    });
    expect(request).toEqual({
      method: 'PUT', path: '/items', body: 'x', headers: { 'x-one': '1', 'content-type': 'a/b', 'x-two': '2', 'x-three': '3' },
    });
    expect(buildInvokeRequest({ body: 'x', header: ['Content-Type: a/b'], contentType: 'c/d' }).headers['content-type']).toBe('c/d');
  });

  it('refuses malformed headers and a GET with a body as usage errors', () => {
    expect(() => buildInvokeRequest({ header: ['no-colon'] })).toThrow(expect.objectContaining({ code: 'NUCLEON_ERR_USAGE' }));
    expect(() => buildInvokeRequest({ headers: '=x' })).toThrow(/name=value/);
    expect(() => buildInvokeRequest({ method: 'GET', body: 'x' })).toThrow(/cannot carry a body/);
  });
});
