import { defineConfig } from 'vitest/config';
import { readdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// One unit project and one integration project per package. Integration tests
// (*.integration.test.ts) start real processes and talk real HTTP; CI always runs them,
// a developer may skip them with NUCLEON_SKIP_INTEGRATION=1.
const root = dirname(fileURLToPath(import.meta.url));
const packages = readdirSync(join(root, 'packages')).filter((name) => existsSync(join(root, 'packages', name, 'src')));
const skipIntegration = process.env.NUCLEON_SKIP_INTEGRATION === '1' && process.env.CI !== 'true';

export default defineConfig({
  test: {
    projects: packages.flatMap((name) => [
      {
        test: {
          name: `${name}-unit`,
          root: join(root, 'packages', name),
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.integration.test.ts'],
        },
      },
      ...(skipIntegration ? [] : [{
        test: {
          name: `${name}-integration`,
          root: join(root, 'packages', name),
          include: ['src/**/*.integration.test.ts', 'test/**/*.integration.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      }]),
    ]),
  },
});
