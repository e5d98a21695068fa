import type { FastifyInstance } from 'fastify';
import { checkFunctionBody, PROJECT_LABEL } from '../function-body.js';
import { functionView, type FunctionView } from '../function-view.js';
import { DashboardCodes, HttpError } from '../http-error.js';
import type { RouteDeps } from '../route-deps.js';
import { readSourceFolder, removeSourceFolder, writeSourceFolder } from '../source-folder.js';
import { openEventStream } from '../sse.js';
import { functionLogRoutes } from './function-logs.js';

const functionBodySchema = {
  type: 'object',
  required: ['metadata', 'spec'],
  properties: {
    metadata: { type: 'object', properties: { name: { type: 'string' }, labels: { type: 'object' } } },
    spec: { type: 'object', properties: { runtime: { type: 'string' }, handler: { type: 'string' }, build: { type: 'object' } } },
  },
};
type NameParams = { Params: { name: string } };

/** Function list/get/create/redeploy/delete and the deploy event stream. */
export function functionRoutes(app: FastifyInstance, deps: RouteDeps): void {
  /** Validates, claims the name (single flight), writes the source, and deploys in the background. */
  async function startDeploy(body: unknown, nameFromUrl?: string): Promise<string> {
    const checked = checkFunctionBody(body, nameFromUrl);
    const name = checked.config.metadata.name;
    if (!(await deps.projects.get(checked.project))) {
      throw new HttpError(400, `project ${checked.project} does not exist`, 'NUCLEON_ERR_INVALID_CONFIG', [{ path: `metadata.labels.${PROJECT_LABEL}`, message: 'unknown project' }]);
    }
    if (!deps.tracker.begin(name)) throw new HttpError(409, `a deploy of ${name} is in progress`, DashboardCodes.DEPLOY_IN_PROGRESS);
    let functionDir: string;
    try {
      functionDir = await writeSourceFolder(deps.stateDir, checked.config, checked.source);
    } catch (err) {
      deps.tracker.fail(name, `could not write the source: ${(err as Error).message}`);
      throw err;
    }
    deps.tracker.progress(name, `deploying ${name} (${checked.config.spec.runtime})`);
    void deps.platform.deploy({ config: checked.config, functionDir, onProgress: (m) => deps.tracker.progress(name, m) })
      .then(async (status) => {
        const view = await functionView(deps, name, status);
        deps.tracker.succeed(name, view?.status ?? { state: status.state });
      })
      .catch((err: unknown) => {
        deps.logger?.warnWith('dashboard deploy failed', { function: name, error: (err as Error).message });
        deps.tracker.fail(name, err instanceof Error ? err.message : String(err));
      });
    return name;
  }

  app.get<{ Querystring: { project?: string } }>('/api/functions', {
    schema: { summary: 'Functions by name, optionally of one project', querystring: { type: 'object', properties: { project: { type: 'string' } } } },
  }, async (req) => {
    const statuses = await deps.platform.list();
    const out: Record<string, FunctionView> = {};
    const names = new Set(statuses.map((s) => s.name));
    await Promise.all([...statuses.map(async (s) => {
      const view = await functionView(deps, s.name, s);
      if (view) out[s.name] = view;
    }), ...deps.tracker.names().filter((n) => !names.has(n)).map(async (n) => {
      const view = await functionView(deps, n);
      if (view) out[n] = view;
    })]);
    const project = req.query.project;
    if (!project) return out;
    return Object.fromEntries(Object.entries(out).filter(([, v]) => (v.metadata.labels[PROJECT_LABEL] ?? 'default') === project));
  });

  app.get<NameParams>('/api/functions/:name', { schema: { summary: 'One function' } }, async (req) => {
    const view = await functionView(deps, req.params.name);
    if (!view) throw new HttpError(404, `function ${req.params.name} not found`, 'NUCLEON_ERR_FUNCTION_NOT_FOUND');
    return view;
  });

  app.post('/api/functions', { schema: { summary: 'Create (deploy) a function; 202, deploys in the background', body: functionBodySchema } },
    async (req, reply) => reply.status(202).send({ name: await startDeploy(req.body) }));

  app.put<NameParams>('/api/functions/:name', { schema: { summary: 'Redeploy a function', body: functionBodySchema } },
    async (req, reply) => reply.status(202).send({ name: await startDeploy(req.body, req.params.name) }));

  app.delete<NameParams>('/api/functions/:name', { schema: { summary: 'Delete a function and its held source' } }, async (req, reply) => {
    const { name } = req.params;
    if (deps.tracker.isRunning(name)) throw new HttpError(409, `a deploy of ${name} is in progress`, DashboardCodes.DEPLOY_IN_PROGRESS);
    const status = await deps.platform.get(name);
    const held = await readSourceFolder(deps.stateDir, name);
    if (!status && !held && !deps.tracker.get(name)) throw new HttpError(404, `function ${name} not found`, 'NUCLEON_ERR_FUNCTION_NOT_FOUND');
    if (status) await deps.platform.delete(name);
    await removeSourceFolder(deps.stateDir, name);
    deps.tracker.forget(name);
    return reply.status(204).send();
  });

  app.get<NameParams>('/api/functions/:name/deployment', { schema: { summary: 'The current/last deploy as text/event-stream' } }, async (req, reply) => {
    const { name } = req.params;
    if (!deps.tracker.get(name)) throw new HttpError(404, `function ${name} was never deployed by this dashboard`, DashboardCodes.NOT_FOUND);
    const stream = openEventStream(req, reply);
    for await (const e of deps.tracker.follow(name, stream.signal)) {
      if (e.type === 'progress') stream.send('progress', JSON.stringify({ message: e.message, at: e.at }));
      else if (e.type === 'done') stream.send('done', JSON.stringify({ status: e.status }));
      else stream.send('failed', JSON.stringify({ error: e.error }));
    }
    stream.end();
  });

  functionLogRoutes(app, deps);
}
