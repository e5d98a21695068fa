// The servers under test. Each is a separate child process started with the same Node binary
// (process.execPath) and answers GET / with the text "hello" on 127.0.0.1:<ports.http>.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const REPO_ROOT = join(BENCH_DIR, '..', '..');
const SERVERS_DIR = join(BENCH_DIR, 'servers');
const FUNCTION_DIR = join(BENCH_DIR, 'functions', 'hello');
export const PROCESSOR_MAIN = join(REPO_ROOT, 'packages', 'processor', 'dist', 'main.js');

const require = createRequire(join(BENCH_DIR, 'package.json'));
function versionOf(pkg) {
  try {
    // package.json is exported by none of these; find it next to the resolved entry point
    let dir = dirname(require.resolve(pkg));
    while (!existsSync(join(dir, 'package.json')) || JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name !== pkg) {
      const up = dirname(dir);
      if (up === dir) return null;
      dir = up;
    }
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
  } catch {
    return null;
  }
}

const script = (file) => (ports) => ({
  args: [join(SERVERS_DIR, file)],
  env: { PORT: String(ports.http), HOST: '127.0.0.1' },
  cwd: SERVERS_DIR,
});

export const SERVERS = [
  { name: 'bare', label: 'node:http (bare)', peer: false, version: () => process.version, command: script('bare.mjs') },
  { name: 'fastify', label: 'fastify', peer: true, version: () => versionOf('fastify'), command: script('fastify.mjs') },
  {
    name: 'functions-framework', label: 'functions-framework', peer: true,
    version: () => versionOf('@google-cloud/functions-framework'), command: script('functions-framework.cjs'),
  },
  { name: 'faas-js-runtime', label: 'faas-js-runtime', peer: true, version: () => versionOf('faas-js-runtime'), command: script('faas-js-runtime.cjs') },
  {
    name: 'nucleon', label: 'Nucleon processor', peer: false, needsAdminPort: true,
    available: () => existsSync(PROCESSOR_MAIN),
    version: () => {
      try { return JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'processor', 'package.json'), 'utf8')).version; } catch { return null; }
    },
    command: (ports) => ({
      args: [PROCESSOR_MAIN, '--config', join(FUNCTION_DIR, 'function.yaml'), '--function-dir', FUNCTION_DIR],
      env: {
        NUCLEON_HTTP_PORT: String(ports.http),
        NUCLEON_HTTP_HOST: '127.0.0.1',
        NUCLEON_ADMIN_PORT: String(ports.admin),
        NUCLEON_ADMIN_HOST: '127.0.0.1',
        NUCLEON_LOG_LEVEL: 'warn',
      },
      cwd: REPO_ROOT,
    }),
  },
];
