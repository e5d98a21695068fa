import { describe, expect, it } from 'vitest';
import { renderDockerfile, renderProcessorDockerfile } from './dockerfile.js';

const base = {
  processorImage: 'nucleon/processor:abc-123', baseImage: 'nucleon/base-node:24', functionName: 'hello', runtime: 'nodejs',
  handler: 'main:handler', commands: [], hasDependencies: false,
};

describe('renderDockerfile', () => {
  it('orders the function layers build commands, dependencies, code, on the processor image', () => {
    const text = renderDockerfile({ ...base, commands: ['echo one', 'echo two'], hasDependencies: true, env: { NUCLEON_GO_HANDLER_BINARY: '/x' } });
    const order = ['FROM nucleon/processor:abc-123', 'RUN echo one', 'RUN echo two', 'COPY deps/node_modules', 'COPY function/', 'ENV NUCLEON_GO_HANDLER_BINARY="/x"', 'LABEL'];
    const positions = order.map((line) => text.indexOf(line));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });

  it('labels the image and leaves out the dependencies layer when there are none', () => {
    const text = renderDockerfile(base);
    expect(text).toContain('LABEL io.nucleon.function="hello" io.nucleon.runtime="nodejs" io.nucleon.handler="main:handler"');
    expect(text).not.toContain('deps/node_modules');
  });

  it('the processor image runs the processor with the baked configuration', () => {
    const text = renderProcessorDockerfile('nucleon/base-node:24');
    expect(text).toContain('FROM nucleon/base-node:24');
    expect(text).toContain('COPY node_modules /opt/nucleon/processor/node_modules');
    expect(text).toContain('NUCLEON_FUNCTION_CONFIG=/opt/nucleon/function/function.yaml');
    expect(text).toContain('ENTRYPOINT ["node", "/opt/nucleon/processor/node_modules/@nucleon/processor/dist/main.js"]');
  });

  it('puts npm -g and pip installs of build commands where the handler resolves them, before the RUN steps', () => {
    const text = renderDockerfile({ ...base, commands: ['npm install -g moment'] });
    const lines = text.split('\n');
    const env = lines.findIndex((l) => l.startsWith('ENV NPM_CONFIG_PREFIX='));
    expect(env).toBeGreaterThan(0);
    expect(env).toBeLessThan(lines.indexOf('RUN npm install -g moment'));
    expect(lines[env]).toBe('ENV NPM_CONFIG_PREFIX=/opt/nucleon/npm-global NODE_PATH=/opt/nucleon/npm-global/lib/node_modules ' +
      'PIP_TARGET=/opt/nucleon/python PIP_BREAK_SYSTEM_PACKAGES=1 PYTHONPATH=/opt/nucleon/python PATH=/opt/nucleon/npm-global/bin:/opt/nucleon/python/bin:$PATH');
    expect(renderDockerfile(base)).not.toContain('NODE_PATH');
  });
});
