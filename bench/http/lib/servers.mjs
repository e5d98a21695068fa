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
const FASTIFY_FUNCTION_DIR = join(BENCH_DIR, 'functions', 'hello-fastify');
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

const processorVersion = () => {
  try { return JSON.parse(readFileSync(join(REPO_ROOT, 'packages', 'processor', 'package.json'), 'utf8')).version; } catch { return null; }
};

/** The processor running one of the hello functions: same flags, same environment. */
const nucleonRow = ({ name, label, functionDir, needs }) => ({
  name, label, peer: false, needsAdminPort: true,
  available: () => existsSync(PROCESSOR_MAIN) && (!needs || existsSync(needs)),
  missing: `not built (packages/processor/dist/main.js${needs ? ` or ${needs.slice(REPO_ROOT.length + 1)}` : ''} missing)`,
  version: processorVersion,
  command: (ports) => ({
    args: [PROCESSOR_MAIN, '--config', join(functionDir, 'function.yaml'), '--function-dir', functionDir],
    env: {
      NUCLEON_HTTP_PORT: String(ports.http),
      NUCLEON_HTTP_HOST: '127.0.0.1',
      NUCLEON_ADMIN_PORT: String(ports.admin),
      NUCLEON_ADMIN_HOST: '127.0.0.1',
      NUCLEON_LOG_LEVEL: 'warn',
    },
    cwd: REPO_ROOT,
  }),
});

export const SERVERS = [
  { name: 'bare', label: 'node:http (bare)', peer: false, version: () => process.version, command: script('bare.mjs') },
  { name: 'fastify', label: 'fastify', peer: true, version: () => versionOf('fastify'), command: script('fastify.mjs') },
  {
    name: 'functions-framework', label: 'functions-framework', peer: true,
    version: () => versionOf('@google-cloud/functions-framework'), command: script('functions-framework.cjs'),
  },
  { name: 'faas-js-runtime', label: 'faas-js-runtime', peer: true, version: () => versionOf('faas-js-runtime'), command: script('faas-js-runtime.cjs') },
  nucleonRow({ name: 'nucleon', label: 'Nucleon processor', functionDir: FUNCTION_DIR }),
  // Info only, never in the goal check: the same processor with the HTTP trigger's behaviour
  // rebuilt on fastify 5 (fastify-trigger/), to measure what fastify would cost inside Nucleon.
  nucleonRow({
    name: 'nucleon-fastify', label: 'Nucleon on fastify (experiment)', functionDir: FASTIFY_FUNCTION_DIR,
    needs: join(BENCH_DIR, 'node_modules', 'nucleon-bench-trigger-fastify', 'index.js'),
  }),
];
