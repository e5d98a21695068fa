import { packageBuild } from '../../tsup.shared.ts';

// pino and semver are inlined (with their own dependencies): loaded from node_modules they
// are about 70 files for the ESM loader on every start. @nucleon/core stays external, so the
// processor and its plugins share one copy; prom-client stays external and is imported at
// the first /metrics scrape only.
export default packageBuild(['src/index.ts', 'src/main.ts', 'src/testing/index.ts'], {
  dtsEntry: ['src/index.ts', 'src/testing/index.ts'],
  bundle: ['pino', 'semver'],
});
