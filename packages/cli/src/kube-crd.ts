import * as kubernetes from '@nucleon/platform-kubernetes';
import { createError, ErrorCodes } from '@nucleon/core';

type Crd = Parameters<typeof kubernetes.installObjects>[0]['crd'];

/**
 * The NuclioFunction CRD from `@nucleon/platform-kubernetes` (`nuclioFunctionCrd()`, the
 * objects' module). Looked up by name so this CLI builds against a platform package from
 * before the CRD existed and says so, rather than failing to build.
 */
export function nuclioFunctionCrd(): Crd {
  const make = (kubernetes as unknown as { nuclioFunctionCrd?: () => Crd }).nuclioFunctionCrd;
  if (typeof make !== 'function') {
    throw createError(ErrorCodes.USAGE, 'this build of @nucleon/platform-kubernetes has no nuclioFunctionCrd(): rebuild it');
  }
  return make();
}
