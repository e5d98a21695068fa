import { packageBuild } from '../../tsup.shared.ts';

export default packageBuild(['src/index.ts', 'src/main.ts', 'src/testing/index.ts'], { dtsEntry: ['src/index.ts', 'src/testing/index.ts'] });
