// bench/runtimes only: a runtime plugin whose "wrapper" is a minimal loop speaking the wrapper
// protocol (../ceilings/), so the ceiling runs through the same processor, trigger and
// wrapper host as the real runtimes. `spec.runtimeAttributes.ceiling`: python | go | cs.
// @nucleon/runtime-wrapper resolves from the repo root's node_modules.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWrapperRuntime } from '@nucleon/runtime-wrapper';

const CEILINGS = join(dirname(fileURLToPath(import.meta.url)), '..', 'ceilings');
const LAUNCH = {
  python: () => ({ command: process.env.NUCLEON_PYTHON || 'python3', args: ['-u', join(CEILINGS, 'python_loop.py')] }),
  go: () => ({ command: process.env.BENCH_GO_LOOP || join(CEILINGS, '..', '.build', 'go_loop'), args: [] }),
  cs: () => ({ command: 'mono', args: [process.env.BENCH_CS_LOOP || join(CEILINGS, '..', '.build', 'cs_loop.exe')] }),
};

export default {
  kind: 'runtime',
  name: 'nucleon-bench-runtime-ceiling',
  coreRange: '^0.1.0',
  create(options) {
    const which = options.function.spec.runtimeAttributes?.ceiling;
    const launch = LAUNCH[which];
    if (!launch) throw new Error(`spec.runtimeAttributes.ceiling must be one of ${Object.keys(LAUNCH).join(', ')}, got ${JSON.stringify(which)}`);
    return createWrapperRuntime({ name: `ceiling-${which}`, launch }, options);
  },
};
