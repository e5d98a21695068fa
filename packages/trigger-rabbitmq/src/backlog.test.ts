import { describe, expect, it } from 'vitest';
import { backlogProbeOptions } from '@nucleon/core/testing';
import plugin from './index.js';

describe('rabbit-mq backlog probe', () => {
  it('refuses a bad configuration before connecting', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'rabbit-mq', attributes: { url: 'http://nope', queueName: 'q' } });
    await expect(plugin.backlog?.(options)).rejects.toMatchObject({ code: 'NUCLEON_ERR_INVALID_CONFIG', message: expect.stringContaining('amqp://') });
  });
  it('needs no broker to say that a trigger without a queueName leaves nothing waiting', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'rabbit-mq', attributes: { url: 'amqp://127.0.0.1:1', exchangeName: 'x', topics: ['a'] } });
    expect(await plugin.backlog?.(options)).toMatchObject({ pending: 0 });
  });
});
