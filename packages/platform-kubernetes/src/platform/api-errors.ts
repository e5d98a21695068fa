import { createError, ErrorCodes, type ConfigProblem } from '@nucleon/core';
import { NUCLIO_API_GROUP, NUCLIO_API_VERSION, NUCLIO_PLURAL } from '../objects/resource.js';
import { statusCodeOf } from './cluster-client.js';

type Where = { source: string; server: string };

/** The API server's Status object of an error, parsed from the body client-node keeps. */
interface ApiStatus {
  message?: string;
  reason?: string;
  details?: { causes?: Array<{ field?: string; message?: string }> };
}

export function apiStatusOf(err: unknown): ApiStatus | undefined {
  const body = (err as { body?: unknown } | null)?.body;
  if (typeof body === 'object' && body !== null) return body as ApiStatus;
  if (typeof body !== 'string') return undefined;
  try {
    return JSON.parse(body) as ApiStatus;
  } catch {
    return undefined;
  }
}

/**
 * Turns what client-node throws into what the platform acts on. 404 and 409 stay as they
 * are (callers branch on them: not there, changed meanwhile), except a 404 for the
 * resource type itself, which means the CRD is missing. No HTTP answer at all is
 * CLUSTER_UNREACHABLE; 400/422 (the API server refused the object, naming fields) is
 * INVALID_CONFIG with those fields as problems; any other status is KUBERNETES_API with the
 * server's message (403: the kubeconfig's user may not do it).
 */
export function translateApiError(err: unknown, what: string, where: Where, customResource: boolean): unknown {
  const code = statusCodeOf(err);
  if (code === undefined) return unreachable(where, err);
  const status = apiStatusOf(err);
  if (code === 404 && customResource && status?.reason !== 'NotFound') return crdMissing(where, err);
  if (code === 404 || code === 409) return err;
  const message = status?.message ?? (err as Error).message;
  if (code === 400 || code === 422) {
    const problems: ConfigProblem[] = (status?.details?.causes ?? []).map((c) => ({ path: c.field ?? '', message: c.message ?? '' }));
    return createError(ErrorCodes.INVALID_CONFIG, `the Kubernetes API server refused ${what}: ${message}`, { cause: err, details: { problems, statusCode: code } });
  }
  return createError(ErrorCodes.KUBE_API, `${what} failed: the Kubernetes API server at ${where.server} answered ${code}: ${message}` +
    (code === 401 || code === 403 ? ` (kubeconfig ${where.source}: its user may not do this)` : ''), { cause: err, details: { ...where, statusCode: code, reason: status?.reason } });
}

export function unreachable(where: Where, cause: unknown): Error {
  const reason = (cause as { cause?: { message?: string }; message?: string })?.cause?.message ?? (cause as Error)?.message ?? String(cause);
  return createError(ErrorCodes.CLUSTER_UNREACHABLE,
    `no Kubernetes API server answers at ${where.server} (kubeconfig ${where.source}): ${reason}; ` +
    'is the cluster running? (the local one: `bash scripts/services/kubernetes.sh start`)',
    { cause, details: where });
}

function crdMissing(where: Where, cause: unknown): Error {
  return createError(ErrorCodes.CRD_NOT_INSTALLED,
    `the cluster at ${where.server} does not serve ${NUCLIO_PLURAL}.${NUCLIO_API_GROUP}/${NUCLIO_API_VERSION}: ` +
    'the NuclioFunction CRD is not installed; run `nucleon kube install`', { cause, details: where });
}
