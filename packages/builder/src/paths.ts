import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the builder keeps what it reuses between builds: `$NUCLEON_CACHE` or `~/.cache/nucleon`. */
export function cacheDir(): string {
  return process.env.NUCLEON_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'nucleon');
}

/** Where the processor, its plugins and the handler live inside a function image. */
export const IMAGE_PATHS = Object.freeze({
  processor: '/opt/nucleon/processor',
  function: '/opt/nucleon/function',
  config: '/opt/nucleon/function/function.yaml',
  main: '/opt/nucleon/processor/node_modules/@nucleon/processor/dist/main.js',
  /** `npm install -g` prefix of build commands; its lib/node_modules is on NODE_PATH. */
  npmGlobal: '/opt/nucleon/npm-global',
  /** `pip install` target of build commands (PIP_TARGET), on PYTHONPATH. */
  python: '/opt/nucleon/python',
});
