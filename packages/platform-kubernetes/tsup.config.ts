import { packageBuild } from '../../tsup.shared.ts';

export default packageBuild(['src/index.ts', 'src/controller-main.ts'], { dtsEntry: 'src/index.ts' });
