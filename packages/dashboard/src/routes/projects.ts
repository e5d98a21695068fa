import type { FastifyInstance } from 'fastify';
import { PROJECT_LABEL } from '../function-body.js';
import { HttpError } from '../http-error.js';
import type { RouteDeps } from '../route-deps.js';

/** Projects: list, create, get, delete (409 while functions are in it). */
export function projectRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get('/api/projects', { schema: { summary: 'Projects by name' } }, async () => deps.projects.list());
  app.post<{ Body: { metadata?: { name?: string }; spec?: { description?: string } } }>('/api/projects', {
    schema: { summary: 'Create a project', body: { type: 'object', required: ['metadata'], properties: { metadata: { type: 'object', properties: { name: { type: 'string' } } }, spec: { type: 'object' } } } },
  }, async (req, reply) => reply.status(201).send(await deps.projects.create(req.body.metadata?.name as string, req.body.spec?.description)));
  app.get<{ Params: { name: string } }>('/api/projects/:name', { schema: { summary: 'One project' } }, async (req) => {
    const p = await deps.projects.get(req.params.name);
    if (!p) throw new HttpError(404, `project ${req.params.name} not found`, 'NUCLEON_ERR_NOT_FOUND');
    return p;
  });
  app.delete<{ Params: { name: string } }>('/api/projects/:name', { schema: { summary: 'Delete an empty project' } }, async (req, reply) => {
    const { name } = req.params;
    if (!(await deps.projects.get(name))) throw new HttpError(404, `project ${name} not found`, 'NUCLEON_ERR_NOT_FOUND');
    if (name === 'default') throw new HttpError(409, 'the default project cannot be deleted', 'NUCLEON_ERR_CONFLICT');
    const configs = await Promise.all((await deps.platform.list()).map((s) => deps.platform.getConfig?.(s.name).catch(() => undefined)));
    if (configs.some((c) => c?.metadata.labels?.[PROJECT_LABEL] === name)) throw new HttpError(409, `project ${name} still has functions`, 'NUCLEON_ERR_CONFLICT');
    await deps.projects.remove(name);
    return reply.status(204).send();
  });
}
