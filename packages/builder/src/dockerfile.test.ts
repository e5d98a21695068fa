import { describe, expect, it } from 'vitest';
import { renderDockerfile } from './dockerfile.js';

const base = { baseImage: 'nucleon/base-node:24', functionName: 'hello', runtime: 'nodejs', handler: 'main:handler', commands: [], hasDependencies: false };

describe('renderDockerfile', () => {
  it('orders layers base, processor, build commands, dependencies, code', () => {
    const text = renderDockerfile({ ...base, commands: ['echo one', 'echo two'], hasDependencies: true, env: { NUCLEON_GO_HANDLER_BINARY: '/x' } });
    const order = ['FROM nucleon/base-node:24', 'COPY processor/node_modules', 'RUN echo one', 'RUN echo two', 'COPY deps/node_modules', 'COPY function/', 'ENV NUCLEON_GO_HANDLER_BINARY="/x"', 'ENTRYPOINT'];
    const positions = order.map((line) => text.indexOf(line));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('runs the processor with the baked configuration and labels the image', () => {
    const text = renderDockerfile(base);
    expect(text).toContain('NUCLEON_FUNCTION_CONFIG=/opt/nucleon/function/function.yaml');
    expect(text).toContain('LABEL io.nucleon.function="hello" io.nucleon.runtime="nodejs" io.nucleon.handler="main:handler"');
    expect(text).toContain('ENTRYPOINT ["node", "/opt/nucleon/processor/node_modules/@nucleon/processor/dist/main.js"]');
    expect(text).not.toContain('deps/node_modules');
  });
});
