import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, killIfAlive, recordedPids, runNucleon, type CliResult } from './test-helpers/cli-process.js';
import { CALLEE, functionYaml as yaml, PY_CALLER } from './test-helpers/function-call-handlers.js';

// Function-to-function calls on the local platform, deployed with the built CLI: a Python
// callee, and callers in Python, Go, Node and .NET that return what the callee answered. Each
// caller also answers `/fields` with Nuclio's event fields as its runtime shows them.

const PROCESSOR_MAIN = 'processor/dist/main.js';
let home: string;
let env: NodeJS.ProcessEnv;
const urls: Record<string, string> = {};

function nucleon(...args: string[]): Promise<CliResult> {
  return runNucleon(args, { cwd: home, env, timeoutMs: 280_000 });
}

const GO_CALLER = `package main

import (
	"encoding/json"

	"github.com/nuclio/nuclio-sdk-go"
)

func Handler(context *nuclio.Context, event nuclio.Event) (interface{}, error) {
	if event.GetPath() == "/fields" {
		return map[string]interface{}{"kind": event.GetTriggerInfo().GetKind(), "name": event.GetTriggerInfo().GetName(),
			"id": string(event.GetID()), "url": event.GetURL(), "timestamp": float64(event.GetTimestamp().UnixNano()) / 1e9,
			"type": event.GetType(), "type_version": event.GetTypeVersion(), "version": event.GetVersion()}, nil
	}
	response, err := context.Platform.CallFunction(event.GetFieldString("callee"), &nuclio.MemoryEvent{
		Method: "POST", Path: "/add", Body: []byte(\`{"a":2,"b":3}\`), ContentType: "application/json",
		Headers: map[string]interface{}{"x-trace": "t-go"},
	})
	if err != nil {
		return nuclio.Response{StatusCode: 502, ContentType: "text/plain", Body: []byte(err.Error())}, nil
	}
	var body interface{}
	if err := json.Unmarshal(response.Body, &body); err != nil {
		return nil, err
	}
	return map[string]interface{}{"status": response.StatusCode, "sum": response.Headers["X-Sum"], "body": body}, nil
}
`;

const NODE_CALLER = `
export async function handler(context, event) {
  if (event.path === '/fields') {
    return { kind: event.trigger.kind, name: event.trigger.name, id: event.id, url: event.url,
      timestamp: event.timestamp.getTime() / 1000, type: event.type ?? '', type_version: event.typeVersion ?? '', version: event.version ?? '' };
  }
  try {
    const response = await context.platform.callFunction(event.fields.callee, {
      body: { a: 2, b: 3 }, path: '/add', headers: { 'x-trace': 't-node' } }, { timeout: '10s' });
    return { status: response.statusCode, sum: response.headers['x-sum'], body: JSON.parse(response.body.toString()) };
  } catch (err) {
    return new context.Response({ statusCode: 502, body: err.code + ': ' + err.message });
  }
}
`;

const DOTNET_CALLER = `using System;
using System.Collections.Generic;
using System.Text;
using Nuclio.Sdk;

public class nuclio
{
    public object Main(Context context, Event eventBase)
    {
        if (eventBase.Path == "/fields")
        {
            return new Dictionary<string, object> {
                { "kind", eventBase.Trigger.Kind }, { "name", eventBase.Trigger.Name }, { "id", eventBase.Id }, { "url", eventBase.Url },
                { "timestamp", (eventBase.Timestamp - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalSeconds },
                { "type", eventBase.Type }, { "type_version", eventBase.TypeVersion }, { "version", eventBase.Version == 0 ? "" : eventBase.Version.ToString() },
            };
        }
        var call = new Event { Path = "/add", ContentType = "application/json" };
        call.SetBody("{\\"a\\":2,\\"b\\":3}");
        call.Headers["x-trace"] = "t-dotnet";
        try
        {
            var response = context.Platform.CallFunction(eventBase.GetFieldString("callee"), call, TimeSpan.FromSeconds(10));
            return new Response { StatusCode = 200, ContentType = "application/json", Body = "{\\"status\\":" + response.StatusCode +
                ",\\"sum\\":\\"" + response.Headers["x-sum"] + "\\",\\"body\\":" + Encoding.UTF8.GetString((byte[])response.Body) + "}" };
        }
        catch (CallFunctionException e)
        {
            return new Response { StatusCode = 502, Body = e.Code + ": " + e.Message };
        }
    }
}
`;

async function deploy(name: string, runtime: string, handler: string, files: Record<string, string>): Promise<void> {
  const dir = join(home, name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'function.yaml'), yaml(name, runtime, handler));
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
  const result = await nucleon('deploy', name, '-o', 'json');
  expect(result.stderr.split('\n').filter((line) => line.startsWith('error'))).toEqual([]);
  expect(result.code).toBe(0);
  urls[name] = (JSON.parse(result.stdout) as { url: string }).url;
}

async function invoke(name: string, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${urls[name]}${path}`, { method: 'POST', body: '' });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "pnpm -r build" first`);
  home = await mkdtemp(join(tmpdir(), 'nucleon-calls-it-'));
  env = { ...process.env, NUCLEON_HOME: home, NUCLEON_DEBUG: '' };
  await deploy('adder', 'python', 'main:handler', { 'main.py': CALLEE });
  await deploy('py-caller', 'python', 'main:handler', { 'main.py': PY_CALLER });
  await deploy('node-caller', 'nodejs', 'main:handler', { 'main.mjs': NODE_CALLER });
  // A first Go build downloads the SDK and compiles: minutes on a cold machine.
  await deploy('go-caller', 'golang', 'main:Handler', { 'main.go': GO_CALLER });
  await deploy('dotnet-caller', 'dotnetcore', 'nuclio:Main', { 'main.cs': DOTNET_CALLER });
}, 600_000);

afterAll(async () => {
  for (const pid of recordedPids(home)) killIfAlive(pid, PROCESSOR_MAIN);
  await rm(home, { recursive: true, force: true });
});

const ANSWER = { status: 201, sum: '5', body: { sum: 5, path: '/add', method: 'POST' } };

describe('function-to-function calls on the local platform (built CLI, real processors)', () => {
  it('publishes an address file for each deployed function', async () => {
    expect((await readdir(join(home, 'local', 'addresses'))).sort()).toEqual(['adder.json', 'dotnet-caller.json', 'go-caller.json', 'node-caller.json', 'py-caller.json']);
  });

  it.each([['py-caller', 't-py'], ['go-caller', 't-go'], ['node-caller', 't-node'], ['dotnet-caller', 't-dotnet']])('%s calls the Python callee and returns its status, headers and body', async (caller, trace) => {
    const { status, text } = await invoke(caller, '/?callee=adder');
    expect(status).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ ...ANSWER, body: { ...ANSWER.body, trace, caller } });
  });

  it.each([
    ['py-caller', 'CallFunctionError: function "ghost" not found on the local platform'],
    ['go-caller', 'function "ghost" not found on the local platform'],
    ['node-caller', 'NUCLEON_ERR_CALLEE_NOT_FOUND: function "ghost" not found on the local platform'],
    ['dotnet-caller', 'NUCLEON_ERR_CALLEE_NOT_FOUND: function "ghost" not found on the local platform'],
  ])('%s calling a missing function gets a clear error it can handle', async (caller, message) => {
    expect(await invoke(caller, '/?callee=ghost')).toEqual({ status: 502, text: message });
  });

  it.each(['py-caller', 'go-caller', 'node-caller', 'dotnet-caller'])('%s sees Nuclio\'s event fields', async (caller) => {
    const before = Date.now() / 1000;
    const fields = JSON.parse((await invoke(caller, '/fields?x=1')).text) as Record<string, unknown>;
    expect(fields).toMatchObject({ kind: 'http', name: 'web', url: '/fields?x=1', type: '', type_version: '', version: '' });
    expect(typeof fields.id === 'string' && fields.id !== '').toBe(true);
    expect(fields.timestamp as number).toBeGreaterThan(before - 5);
    expect(fields.timestamp as number).toBeLessThan(Date.now() / 1000 + 1);
  });

  it('a deleted callee is "not found" for its callers', async () => {
    expect((await nucleon('delete', 'adder')).code).toBe(0);
    expect(await invoke('py-caller', '/?callee=adder')).toEqual({ status: 502, text: 'CallFunctionError: function "adder" not found on the local platform' });
    expect((await readdir(join(home, 'local', 'addresses'))).sort()).toEqual(['dotnet-caller.json', 'go-caller.json', 'node-caller.json', 'py-caller.json']);
  });
});
