// The SDK the trigger uses, from the trigger package's own node_modules (no bench install).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(ROOT, 'packages', 'trigger-kinesis', 'package.json'));
export const kinesis = require('@aws-sdk/client-kinesis');
const { NodeHttpHandler } = require('@smithy/node-http-handler');

/** The same client settings as the trigger (packages/trigger-kinesis/src/kinesis-client.ts). */
export async function client(endpoint) {
  const { Agent } = await import('node:http');
  return new kinesis.KinesisClient({
    endpoint, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: 50 }), connectionTimeout: 5_000, requestTimeout: 30_000 }),
  });
}
