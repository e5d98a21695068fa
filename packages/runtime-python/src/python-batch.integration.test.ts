import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeFunctionYaml } from '@nucleon/processor/testing';
import { functionDir, startProcessor, type RunningProcessor } from './test-support/processor-harness.js';

// Nuclio's batching handler shape: a list of events in, a list of Response(event_id=...) out.
const BATCHED = `
import nuclio_sdk

def handler(context, batch):
    if any(e.path == '/raise' for e in batch):
        raise ValueError('one bad event fails the batch')
    return [nuclio_sdk.Response(body={'echo': e.body.decode('utf-8'), 'batchSize': len(batch), 'id': e.id},
                                headers={'x-event-id': e.id}, content_type='application/json', status_code=200,
                                event_id=e.id)
            for e in batch if e.path != '/skip']
`;

const yaml = runtimeFunctionYaml({
  runtime: 'python:3.11', name: 'py-batch', handler: 'main:handler',
  extra: [
    '  triggers:',
    '    web:',
    '      kind: http',
    '      numWorkers: 1',
    '      batch:',
    '        mode: enable',
    '        batchSize: 5',
    '        timeout: 200ms',
  ],
});

interface Echo { echo: string; batchSize: number; id: string }

describe('Python runtime: HTTP trigger batching through the real processor', () => {
  let p: RunningProcessor;

  beforeAll(async () => {
    p = await startProcessor(functionDir({ 'function.yaml': yaml, 'main.py': BATCHED }));
  });
  afterAll(async () => {
    expect(await p.stop()).toBe(0);
  });

  const post = (path: string, body: string) => fetch(`${p.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'text/plain' } });

  it('answers 20 concurrent requests each with its own body, from handler calls that saw lists of up to 5', async () => {
    const bodies = Array.from({ length: 20 }, (_, i) => `request-${i}`);
    const replies = await Promise.all(bodies.map(async (body) => {
      const res = await post('/', body);
      return { status: res.status, header: res.headers.get('x-event-id'), json: await res.json() as Echo };
    }));
    expect(replies.map((r) => r.status)).toEqual(bodies.map(() => 200));
    expect(replies.map((r) => r.json.echo)).toEqual(bodies);
    for (const r of replies) expect(r.header).toBe(r.json.id);
    expect(new Set(replies.map((r) => r.json.id)).size).toBe(20);
    const sizes = replies.map((r) => r.json.batchSize);
    expect(Math.max(...sizes)).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(5);
  });

  it('sends a lone request after the batch timeout, as a batch of one', async () => {
    const began = performance.now();
    const res = await post('/', 'alone');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ echo: 'alone', batchSize: 1 });
    expect(performance.now() - began).toBeGreaterThanOrEqual(190);
  });

  it('answers a request the handler returned no response for with a coded 500, and the others normally', async () => {
    const paths = ['/', '/skip', '/', '/', '/'];
    const replies = await Promise.all(paths.map(async (path, i) => {
      const res = await post(path, `b${i}`);
      return { status: res.status, body: await res.json() as Record<string, unknown> };
    }));
    expect(replies[1]?.status).toBe(500);
    expect(replies[1]?.body).toMatchObject({ code: 'NUCLEON_ERR_BATCH_RESPONSE_MISSING' });
    expect(String(replies[1]?.body.error)).toContain('no response for this event');
    for (const i of [0, 2, 3, 4]) {
      expect(replies[i]?.status).toBe(200);
      expect(replies[i]?.body).toMatchObject({ echo: `b${i}` });
    }
  });

  it('fails every request of a batch whose handler raised, and keeps serving', async () => {
    const paths = ['/', '/', '/raise', '/', '/'];
    const statuses = await Promise.all(paths.map(async (path) => {
      const res = await post(path, 'x');
      const body = await res.json() as { code: string };
      return `${res.status} ${body.code}`;
    }));
    expect(statuses).toEqual(paths.map(() => '500 NUCLEON_ERR_HANDLER_FAILED'));
    const after = await post('/', 'still here');
    expect(await after.json()).toMatchObject({ echo: 'still here' });
  });
});
