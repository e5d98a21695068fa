/** A template as `GET /api/function_templates` lists it. */
export interface FunctionTemplate {
  name: string;
  description: string;
  runtime: string;
  configuration: { metadata: { name: string }; spec: { runtime: string; handler: string; triggers?: Record<string, unknown>; build: { functionSourceCode: string } } };
}

function template(name: string, description: string, runtime: string, handler: string, source: string, triggers?: Record<string, unknown>): FunctionTemplate {
  return { name, description, runtime, configuration: { metadata: { name }, spec: { runtime, handler, ...(triggers ? { triggers } : {}), build: { functionSourceCode: Buffer.from(source).toString('base64') } } } };
}

const NODE_HELLO = `exports.handler = async (context, event) => {
  context.logger.info('hello called');
  return event.body;
};
`;

/** Templates (only the Node hello so far; see the report). */
export const FUNCTION_TEMPLATES: FunctionTemplate[] = [
  template('hello-nodejs', 'Echoes the request body and logs a line', 'nodejs', 'main:handler', NODE_HELLO),
];
