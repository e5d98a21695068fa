import { resolveInsideFunction, type FunctionConfig } from '@nucleon/core';

/** Every extension a runtime adds to the handler's module name (and none: shell names the file). */
const HANDLER_EXTENSIONS = ['', '.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.py', '.go', '.cs', '.sh'];

/**
 * Refuses (NUCLEON_ERR_PATH_OUTSIDE_FUNCTION, exit 4) a handler whose source file lies outside
 * the function folder, by name (`../x:handler`) or through a symbolic link, before any process
 * loads it. Each file a runtime may pick for `spec.handler` is checked: the module name as
 * written and with each runtime's extension. Files that do not exist are left to the runtime.
 */
export function checkHandlerFiles(config: FunctionConfig, functionDir: string): void {
  const module = handlerModule(config.spec.handler, config.spec.runtime);
  if (module === '') return;
  for (const ext of HANDLER_EXTENSIONS) resolveInsideFunction(`${module}${ext}`, functionDir, 'handler file');
}

/** The file part of Nuclio's `module:export` handler; the shell runtime's handler is the file's own name. */
function handlerModule(handler: string, runtime: string): string {
  if ((runtime.split(':')[0] ?? runtime) === 'shell') return handler.split(':')[0] ?? '';
  const colon = handler.lastIndexOf(':');
  return colon === -1 ? handler : handler.slice(0, colon);
}
