import { createError, ErrorCodes } from '@nucleon/core';
import type { KubeClient } from './kube-client.js';

/**
 * `client` whose writes are refused (NUCLEON_ERR_NOT_LEADER, never sent) unless `mayWrite()`
 * says so at the moment of the call: a reconcile in flight when leadership is lost stops
 * writing at once instead of finishing its writes.
 */
export function guardedClient(client: KubeClient, mayWrite: () => boolean): KubeClient {
  const check = (verb: string) => {
    if (!mayWrite()) throw createError(ErrorCodes.NOT_LEADER, `refused to ${verb}: this controller does not hold the lease`);
  };
  return {
    get: client.get.bind(client),
    list: client.list.bind(client),
    create: async (resource, namespace, body) => (check('create'), client.create(resource, namespace, body)),
    replace: async (resource, namespace, name, body) => (check('update'), client.replace(resource, namespace, name, body)),
    replaceStatus: async (resource, namespace, name, body) => (check('update status'), client.replaceStatus(resource, namespace, name, body)),
    delete: async (resource, namespace, name) => (check('delete'), client.delete(resource, namespace, name)),
  };
}
