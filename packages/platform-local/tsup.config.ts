import { packageBuild } from '../../tsup.shared.ts';

// The supervisor and the orphan guard are programs of their own, started by path from dist/.
export default packageBuild(['src/index.ts', 'src/supervisor-main.ts', 'src/orphan-guard.ts'], { dtsEntry: 'src/index.ts' });
