import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { functionConfig, RealProcessorHarness } from './test-fixtures/real-processor.js';

// What a failed deploy tells the user, with the real processor: its own coded error as the
// headline, and the log lines of this attempt only.
const harness = new RealProcessorHarness();
beforeEach(() => harness.setUp());
afterEach(() => harness.tearDown());

describe('local platform: a failed deploy', () => {
  it("carries the processor's code and message, and this attempt's log lines only", async () => {
    const dir = await harness.code('fb', { 'main.js': 'export const handler = () => "ok";\n' });
    const good = await harness.deploy(functionConfig('fb', {}), dir);

    const missing = await harness.deploy(functionConfig('fb', { handler: 'gone:handler' }), dir).catch((err: unknown) => err);
    expect(missing).toMatchObject({ code: 'NUCLEON_ERR_HANDLER_NOT_FOUND' });
    harness.track(await harness.platform().get('fb'));

    // Valid for core, refused by the HTTP trigger's schema in the processor.
    const badAttribute = functionConfig('fb', { triggers: { web: { kind: 'http', attributes: { maxRequestBodySize: 'big' } } } });
    const error = await harness.deploy(badAttribute, dir).catch((err: unknown) => err);
    harness.track(await harness.platform().get('fb'));
    expect(error).toMatchObject({ code: 'NUCLEON_ERR_INVALID_CONFIG' });
    const message = (error as Error).message;
    expect(message).toMatch(/^deploying function "fb" on the local platform failed \(the previous deployment was restarted\): invalid attributes for trigger web/);
    expect(message).toMatch(/spec\.triggers\.web\.attributes\.maxRequestBodySize/);
    const lines = message.split('\n');
    const where = lines.findIndex((l) => /^this attempt's lines of .*processor\.log:$/.test(l));
    expect(where).toBeGreaterThan(0);
    const tail = lines.slice(where + 1);
    expect(tail.join('\n')).toContain('processor failed to start');
    expect(tail.join('\n')).not.toContain('gone');
    // Nor the lines of the previous deployment restarted after the failure.
    expect(tail.join('\n')).not.toContain('processor ready');
    expect((error as { details: { logTail: string } }).details.logTail).toBe(tail.join('\n'));

    const status = await harness.platform().get('fb');
    expect(status).toMatchObject({ state: 'ready', url: good.url });
  });
});
