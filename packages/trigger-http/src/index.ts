import { defineTrigger } from '@nucleon/core';
import { httpAttributes } from './attributes.js';
import { createHttpTrigger } from './http-trigger.js';

export { HttpTrigger, createHttpTrigger } from './http-trigger.js';
export { httpAttributes, DEFAULT_MAX_BODY } from './attributes.js';

/** The `http` trigger plugin (Nuclio kind `http`). */
export default defineTrigger({
  name: '@nucleon/trigger-http',
  coreRange: '^0.1.0',
  attributes: httpAttributes,
  defaultWorkers: 1,
  create: createHttpTrigger,
});
