import { packageBuild } from '../../tsup.shared.ts';

// The banner makes dist/main.js the `nucleon` binary; harmless on the library entry.
export default packageBuild(['src/index.ts', 'src/main.ts'], { dtsEntry: 'src/index.ts', banner: { js: '#!/usr/bin/env node' } });
