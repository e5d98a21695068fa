import { definePlatform, type PlatformPlugin } from '@nucleon/core';

/** `@nucleon/platform-kubernetes`: functions as NuclioFunction resources reconciled by a controller. */
const plugin: PlatformPlugin = definePlatform({
  name: '@nucleon/platform-kubernetes',
  coreRange: '^0.1.0',
  create: () => {
    throw new Error('not yet');
  },
});

export default plugin;
