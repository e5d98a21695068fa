import { packageBuild } from '../../tsup.shared.ts';

// yaml is inlined: it is about 70 small CommonJS files, which the ESM loader otherwise
// resolves and compiles one by one at every processor start.
export default packageBuild(['src/index.ts', 'src/testing/index.ts'], { bundle: ['yaml'] });
