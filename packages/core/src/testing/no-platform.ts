import type { ContextPlatform } from '../context.js';
import { createError, ErrorCodes } from '../errors.js';

/** A `context.platform` with no functions on it, for test contexts: every call is CALLEE_NOT_FOUND. */
export const noPlatform: ContextPlatform = {
  callFunction(name) {
    return Promise.reject(createError(ErrorCodes.CALLEE_NOT_FOUND, `function "${name}" not found: this test context has no platform`));
  },
};
