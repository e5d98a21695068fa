import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { KinesisSettings } from './config.js';

/**
 * A Kinesis client over HTTP/1.1 keep-alive (`NodeHttpHandler`): kinesalite does not speak
 * the SDK's default HTTP/2, and one connection per shard loop is all a poller needs. The SDK
 * retries throttling and transient errors itself (3 attempts); the shard loops add their own
 * unbounded backoff on top.
 */
export function createKinesisClient(settings: KinesisSettings, maxSockets = 50): KinesisClient {
  return new KinesisClient({
    ...(settings.region ? { region: settings.region } : {}),
    ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
    ...(settings.credentials ? { credentials: settings.credentials } : {}),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({
      httpAgent: new Agent({ keepAlive: true, maxSockets }),
      httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
      connectionTimeout: 5_000,
      requestTimeout: 30_000,
    }),
  });
}

/** Error names worth retrying: throttling, limits, expired credentials refresh, network and 5xx. */
export function isRetryable(err: unknown): boolean {
  const e = err as { name?: string; code?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown };
  if (e?.$retryable) return true;
  switch (e?.name) {
    case 'ProvisionedThroughputExceededException': case 'LimitExceededException': case 'KMSThrottlingException':
    case 'InternalFailure': case 'ServiceUnavailable': case 'ThrottlingException': case 'TimeoutError':
      return true;
  }
  if (e?.code && /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH)$/.test(e.code)) return true;
  const status = e?.$metadata?.httpStatusCode;
  return status !== undefined && status >= 500;
}

/** One line for logs. */
export function errorText(err: unknown): string | undefined {
  if (err === undefined) return undefined;
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}
