import { createError, ErrorCodes } from '@nucleon/core';
import type { NuclioFunctionResource } from '../objects/resource.js';
import { statusCodeOf, type ClusterClient } from './cluster-client.js';

/** Replace attempts when someone else (the controller writing status) changed the resource meanwhile. */
const CONFLICT_RETRIES = 5;

/**
 * Replaces a NuclioFunction with `next(current)`, naming the resourceVersion read; on a 409
 * (the controller wrote its status in between, which changes the resourceVersion) it reads
 * again and retries. `doing` names the operation for the error when the resource is gone.
 */
export async function replaceRetrying(
  client: ClusterClient, namespace: string, name: string, next: (current: NuclioFunctionResource) => NuclioFunctionResource, doing = 'being deployed',
): Promise<NuclioFunctionResource> {
  for (let attempt = 1; ; attempt += 1) {
    const current = await client.getFunction(namespace, name);
    if (!current) throw createError(ErrorCodes.DEPLOY_FAILED, `the NuclioFunction ${namespace}/${name} was deleted while ${doing}`);
    try {
      return await client.replaceFunction(next(current));
    } catch (err) {
      if (statusCodeOf(err) !== 409 || attempt >= CONFLICT_RETRIES) throw err;
    }
  }
}
