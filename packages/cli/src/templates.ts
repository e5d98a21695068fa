/** Runtimes `nucleon init` can scaffold, by the name given to --runtime. */
export const INIT_RUNTIMES = ['node', 'nodejs', 'typescript', 'ts', 'python', 'go', 'golang', 'dotnetcore', 'shell'] as const;

/** One file of a template. */
export interface TemplateFile {
  content: string;
  /** File mode; 0o644 unless set (a shell handler is executable). */
  mode?: number;
}

interface TemplateSpec {
  /** `spec.runtime` in function.yaml. */
  runtime: string;
  /** `spec.handler` in function.yaml. */
  handler: string;
  handlerFile: string;
  handlerSource(name: string): string;
  mode?: number;
}

const NODE: TemplateSpec = { runtime: 'nodejs', handler: 'main:handler', handlerFile: 'main.js', handlerSource: mainJs };
const TYPESCRIPT: TemplateSpec = { runtime: 'typescript', handler: 'main:handler', handlerFile: 'main.ts', handlerSource: mainTs };
const GO: TemplateSpec = { runtime: 'golang', handler: 'main:Handler', handlerFile: 'main.go', handlerSource: mainGo };

const TEMPLATES: Record<(typeof INIT_RUNTIMES)[number], TemplateSpec> = {
  node: NODE,
  nodejs: NODE,
  typescript: TYPESCRIPT,
  ts: TYPESCRIPT,
  python: { runtime: 'python:3.11', handler: 'main:handler', handlerFile: 'main.py', handlerSource: mainPy },
  go: GO,
  golang: GO,
  // Nuclio's .NET Core handler shape: a class and method named <class>:<method>.
  dotnetcore: { runtime: 'dotnetcore', handler: 'nuclio:Main', handlerFile: 'main.cs', handlerSource: mainCs },
  // Nuclio's shell runtime names the executable itself as the handler.
  shell: { runtime: 'shell', handler: 'main.sh', handlerFile: 'main.sh', handlerSource: mainSh, mode: 0o755 },
};

/** The files of a new function folder, path relative to the folder -> content and mode. */
export function initTemplate(name: string, runtime: string): Record<string, TemplateFile> {
  const template = Object.hasOwn(TEMPLATES, runtime) ? TEMPLATES[runtime as keyof typeof TEMPLATES] : undefined;
  if (!template) throw new Error(`no template for runtime "${runtime}"; choose one of ${INIT_RUNTIMES.join(', ')}`);
  return {
    'function.yaml': { content: functionYaml(name, template.runtime, template.handler) },
    [template.handlerFile]: { content: template.handlerSource(name), ...(template.mode ? { mode: template.mode } : {}) },
    'README.md': { content: readme(name, template.handlerFile) },
  };
}

function functionYaml(name: string, runtime: string, handler: string): string {
  return `apiVersion: nuclio.io/v1
kind: NuclioFunction
metadata:
  name: ${name}
spec:
  runtime: ${runtime}
  handler: ${handler}
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

function mainPy(name: string): string {
  return `import json


def handler(context, event):
    """Runs once per event. Return a string, bytes, a dict (sent as JSON) or
    context.Response(body=..., headers={...}, content_type=..., status_code=...)."""
    context.logger.info_with('${name} called', method=event.method, path=event.path)
    reply = {
        'message': 'Hello from ${name}!',
        'method': event.method,
        'path': event.path,
        'received': parse_body(event.body),
    }
    return context.Response(body=json.dumps(reply), headers={}, content_type='application/json', status_code=200)


def parse_body(body):
    # Nuclio hands JSON bodies over already decoded; anything else arrives as bytes.
    if isinstance(body, (bytes, bytearray)):
        body = body.decode('utf-8', errors='replace')
    if isinstance(body, str):
        if body == '':
            return None
        try:
            return json.loads(body)
        except ValueError:
            return body
    return body
`;
}

function mainCs(name: string): string {
  return `using System;
using Nuclio.Sdk;

public class nuclio
{
    public object Main(Context context, Event eventBase)
    {
        context.Logger.InfoWith("${name} called", "method", eventBase.Method, "path", eventBase.Path);
        return new Response()
        {
            StatusCode = 200,
            ContentType = "application/text",
            Body = "Hello from ${name}: " + eventBase.GetBody()
        };
    }
}
`;
}

function mainGo(name: string): string {
  return `package main

import (
	"encoding/json"
	"net/http"

	"github.com/nuclio/nuclio-sdk-go"
)

// Handler runs once per event. Return a string, []byte, a value to send as JSON, or a
// nuclio.Response with a status code, headers and content type.
func Handler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {
	context.Logger.InfoWith("${name} called", "method", event.GetMethod(), "path", event.GetPath())
	body, err := json.Marshal(map[string]interface{}{
		"message":  "Hello from ${name}!",
		"method":   event.GetMethod(),
		"path":     event.GetPath(),
		"received": parseBody(event.GetBody()),
	})
	if err != nil {
		return nil, err
	}
	return nuclio.Response{StatusCode: http.StatusOK, ContentType: "application/json", Body: body}, nil
}

func parseBody(body []byte) interface{} {
	if len(body) == 0 {
		return nil
	}
	var value interface{}
	if err := json.Unmarshal(body, &value); err != nil {
		return string(body)
	}
	return value
}
`;
}

function mainSh(name: string): string {
  return `#!/bin/sh
# Runs once per event: the request body is on stdin, the response is what this prints on
# stdout. Exit 0 answers 200 (text/plain); any other exit answers 500 and what went to stderr
# lands in the function's log. The event's method, path and headers are in the environment:
# NUCLIO_EVENT_METHOD, NUCLIO_EVENT_PATH, NUCLEON_EVENT_HEADER_<NAME> (X-Request-Id is
# NUCLEON_EVENT_HEADER_X_REQUEST_ID). Treat all of it as data: quote it, never eval it.
set -eu

body=$(cat)
printf 'Hello from %s! %s %s\\n' '${name}' "$NUCLIO_EVENT_METHOD" "$NUCLIO_EVENT_PATH"
if [ -n "$body" ]; then
  printf 'received: %s\\n' "$body"
fi
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
