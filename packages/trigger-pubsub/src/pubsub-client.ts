import { PubSub, type ClientConfig } from '@google-cloud/pubsub';
import type { PubSubSettings } from './config.js';

/** The client for a trigger's settings (emulator, credentials), shared by the trigger and its backlog probe. */
export function createPubSubClient(s: PubSubSettings): PubSub {
  const config: ClientConfig = { projectId: s.projectId };
  if (s.emulatorHost) config.apiEndpoint = s.emulatorHost;
  if (s.credentials) config.credentials = s.credentials as ClientConfig['credentials'];
  // Without this the client looks for Google credentials (and probes the GCE metadata
  // server) just to learn the universe domain, even against an emulator.
  if (s.emulatorHost || s.noCredentials) config.clientOptions = { universeDomain: 'googleapis.com' };
  return new PubSub(config);
}
