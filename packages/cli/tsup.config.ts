import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/main.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node22',
  // For dist/main.js, the `nucleon` binary; harmless on the library entry.
  banner: { js: '#!/usr/bin/env node' },
});
