import type { FastifyInstance } from 'fastify';
import { FUNCTION_TEMPLATES } from '../templates/index.js';

/** `GET /api/function_templates`. */
export function templateRoutes(app: FastifyInstance): void {
  app.get('/api/function_templates', { schema: { summary: 'Function templates, each deployable as is' } }, async () => FUNCTION_TEMPLATES);
}
