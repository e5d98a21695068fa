// Bundles the web UI (ui/) into dist/ui: one minified ES module with CodeMirror inside, the
// HTML and CSS beside it. Nothing is fetched from a CDN at run time.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, 'dist', 'ui');
await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(here, 'ui', 'main.ts')],
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  sourcemap: true,
  outfile: join(out, 'app.js'),
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css']) await copyFile(join(here, 'ui', file), join(out, file));
// Compressed once here, served as they are (@fastify/static preCompressed): no compression per request.
for (const file of ['app.js', 'index.html', 'style.css']) {
  const bytes = await readFile(join(out, file));
  await writeFile(join(out, `${file}.gz`), gzipSync(bytes, { level: 9 }));
  await writeFile(join(out, `${file}.br`), brotliCompressSync(bytes));
}
