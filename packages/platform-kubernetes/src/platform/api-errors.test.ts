import { describe, expect, it } from 'vitest';
import { translateApiError } from './api-errors.js';

const where = { source: '/k/config', server: 'https://127.0.0.1:6443' };
const apiError = (code: number, body: unknown) => Object.assign(new Error(`HTTP-Code: ${code}`), { code, body });

describe('translateApiError', () => {
  it('a refused object is INVALID_CONFIG naming the API server\'s fields', () => {
    const err = translateApiError(apiError(422, JSON.stringify({
      reason: 'Invalid', message: 'NuclioFunction "f" is invalid: spec.replicas: Invalid value: "x"',
      details: { causes: [{ field: 'spec.replicas', message: 'Invalid value: "x"' }] },
    })), 'creating NuclioFunction n/f', where, true) as Error & { code: string; details: { problems: unknown[] } };
    expect(err.code).toBe('NUCLEON_ERR_INVALID_CONFIG');
    expect(err.message).toBe('the Kubernetes API server refused creating NuclioFunction n/f: NuclioFunction "f" is invalid: spec.replicas: Invalid value: "x"');
    expect(err.details.problems).toEqual([{ path: 'spec.replicas', message: 'Invalid value: "x"' }]);
  });

  it('a 404 for the type (not an object) means the CRD is missing; an object\'s 404 and a 409 pass through', () => {
    expect((translateApiError(apiError(404, '404 page not found\n'), 'listing', where, true) as { code: string }).code).toBe('NUCLEON_ERR_CRD_NOT_INSTALLED');
    const notFound = apiError(404, { reason: 'NotFound' });
    expect(translateApiError(notFound, 'reading', where, true)).toBe(notFound);
    const conflict = apiError(409, { reason: 'Conflict' });
    expect(translateApiError(conflict, 'updating', where, true)).toBe(conflict);
  });

  it('no answer is CLUSTER_UNREACHABLE; a 403 says the kubeconfig\'s user may not', () => {
    const down = translateApiError(Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED 127.0.0.1:6443') }), 'listing', where, true) as Error & { code: string };
    expect(down.code).toBe('NUCLEON_ERR_CLUSTER_UNREACHABLE');
    expect(down.message).toContain('no Kubernetes API server answers at https://127.0.0.1:6443 (kubeconfig /k/config): connect ECONNREFUSED');
    const forbidden = translateApiError(apiError(403, { message: 'nucliofunctions is forbidden' }), 'listing NuclioFunctions in n', where, true) as Error & { code: string };
    expect(forbidden.code).toBe('NUCLEON_ERR_KUBE_API');
    expect(forbidden.message).toContain('answered 403: nucliofunctions is forbidden (kubeconfig /k/config: its user may not do this)');
  });
});
