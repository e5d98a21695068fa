import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { freePort, startExpectingFailure, triggerYaml } from '@nucleon/processor/testing';

/**
 * The real processor started with broken `kinesis` trigger configurations: each must exit
 * with the start-failure code (1) in bounded time, naming the trigger and the attribute.
 */
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const ENDPOINT = `http://127.0.0.1:${process.env.NUCLEON_KINESIS_PORT ?? '4567'}`;
const EXIT_START_FAILED = 1;

beforeAll(() => {
  execFileSync('bash', [join(ROOT, 'scripts/services/kinesalite.sh'), 'start'], { stdio: 'inherit', timeout: 60_000 });
}, 70_000);

const trigger = (attributes: string[]): string => triggerYaml({ name: 'orders', kind: 'kinesis', attributes });
const failedStart = (yaml: string): ReturnType<typeof startExpectingFailure> => startExpectingFailure(yaml, { limitMs: 30_000 });

describe('kinesis trigger: bad configuration fails the start with a clear message', () => {
  it('no streamName names the trigger and the attribute', async () => {
    const { code, output } = await failedStart(trigger([`endpoint: ${ENDPOINT}`]));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_INVALID_CONFIG');
    expect(output).toContain('trigger orders');
    expect(output).toContain('spec.triggers.orders.attributes.streamName');
  }, 40_000);

  it('a bad iteratorType is refused, listing the allowed values', async () => {
    const { code, output } = await failedStart(trigger(['streamName: s', `endpoint: ${ENDPOINT}`, 'iteratorType: AT_TIMESTAMP']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.iteratorType');
    expect(output).toContain('LATEST');
    expect(output).toContain('TRIM_HORIZON');
  }, 40_000);

  it('an unknown attribute (streamNmae) is refused, naming it and the known ones', async () => {
    const { code, output } = await failedStart(trigger(['streamName: s', 'streamNmae: s', `endpoint: ${ENDPOINT}`]));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.streamNmae');
    expect(output).toContain('unknown attribute');
    expect(output).toContain('checkpointDir');
  }, 40_000);

  it('a bad pollingPeriod and half of the credentials are reported together', async () => {
    const { code, output } = await failedStart(trigger(['streamName: s', `endpoint: ${ENDPOINT}`, 'pollingPeriod: often', 'accessKeyID: AK']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('spec.triggers.orders.attributes.pollingPeriod');
    expect(output).toContain('spec.triggers.orders.attributes.secretAccessKey');
  }, 40_000);

  it('an unreachable endpoint fails the start in bounded time, naming the trigger, stream and endpoint', async () => {
    const port = await freePort();
    const { code, output, ms } = await failedStart(trigger(['streamName: s', `endpoint: http://127.0.0.1:${port}`, 'accessKeyID: a', 'secretAccessKey: b']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_PLUGIN_FAILED');
    expect(output).toContain('trigger orders');
    expect(output).toContain(`http://127.0.0.1:${port}`);
    expect(output).toContain('spec.triggers.orders.attributes.endpoint');
    expect(ms).toBeLessThan(25_000);
  }, 40_000);

  it('a stream that does not exist names streamName', async () => {
    const { code, output } = await failedStart(trigger([`streamName: missing-${process.pid}`, `endpoint: ${ENDPOINT}`, 'accessKeyID: a', 'secretAccessKey: b']));
    expect(code).toBe(EXIT_START_FAILED);
    expect(output).toContain('NUCLEON_ERR_PLUGIN_FAILED');
    expect(output).toContain('spec.triggers.orders.attributes.streamName');
    expect(output).toContain('ResourceNotFoundException');
  }, 40_000);
});
