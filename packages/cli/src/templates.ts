/** Runtimes `nucleon init` can scaffold, by the name given to --runtime. */
export const INIT_RUNTIMES = ['node', 'nodejs', 'typescript', 'ts'] as const;

/** The files of a new function folder, path relative to the folder -> content. */
export function initTemplate(name: string, runtime: string): Record<string, string> {
  const typescript = runtime === 'typescript' || runtime === 'ts';
  const handlerFile = typescript ? 'main.ts' : 'main.js';
  return {
    'function.yaml': functionYaml(name, typescript ? 'typescript' : 'nodejs'),
    [handlerFile]: typescript ? mainTs(name) : mainJs(name),
    'README.md': readme(name, handlerFile),
  };
}

function functionYaml(name: string, runtime: string): string {
  return `apiVersion: nuclio.io/v1
kind: NuclioFunction
metadata:
  name: ${name}
spec:
  runtime: ${runtime}
  handler: main:handler
  triggers:
    http:
      kind: http
      numWorkers: 1
`;
}

function mainJs(name: string): string {
  return `/**
 * handler(context, event) runs once per event. Return a string, bytes, an object (sent as
 * JSON) or \`new context.Response({ body, headers, contentType, statusCode })\`.
 */
export async function handler(context, event) {
  context.logger.infoWith('${name} called', { method: event.method, path: event.path });
  return { message: 'Hello from ${name}!', method: event.method, path: event.path, received: parseBody(event) };
}

function parseBody(event) {
  const text = event.body.toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
`;
}

function mainTs(name: string): string {
  return `import type { Context, Event } from '@nucleon/core';

/**
 * handler(context, event) runs once per event. Return a string, bytes, an object (sent as
 * JSON) or \`new context.Response({ body, headers, contentType, statusCode })\`.
 * Nucleon runs TypeScript as is: no build step.
 */
export async function handler(context: Context, event: Event): Promise<Record<string, unknown>> {
  context.logger.infoWith('${name} called', { method: event.method, path: event.path });
  return { message: 'Hello from ${name}!', method: event.method, path: event.path, received: parseBody(event) };
}

function parseBody(event: Event): unknown {
  const text = event.body.toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
`;
}

function readme(name: string, handlerFile: string): string {
  return `# ${name}

A Nucleon function: \`${handlerFile}\` holds the handler, \`function.yaml\` its configuration
(Nuclio's format).

\`\`\`sh
nucleon run .                      # serve it in the foreground
nucleon deploy .                   # or run it in the background on the local platform
nucleon invoke ${name} -b '{"hello":"world"}'
nucleon logs ${name}
nucleon delete ${name}
\`\`\`
`;
}
