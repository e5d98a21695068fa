import { describe, expect, it } from 'vitest';
import { backlogProbeOptions } from '@nucleon/core/testing';
import plugin from './index.js';

describe('pubsub backlog probe', () => {
  it('refuses a bad configuration with every problem before connecting', async () => {
    const options = backlogProbeOptions(plugin, { kind: 'pubsub', attributes: { projectID: 'p', emulatorHost: 'nope', subscriptions: [{ topic: 'x' }] } });
    await expect(plugin.backlog?.(options)).rejects.toMatchObject({ code: 'NUCLEON_ERR_INVALID_CONFIG', message: expect.stringMatching(/emulatorHost[\s\S]*topic/) });
  });
});
