import { describe, expect, it } from 'vitest';
import { renderComponentDockerfile } from './component-image.js';
import { splitReference } from './push-image.js';

describe('splitReference', () => {
  it('tells a registry port from a tag', () => {
    expect(splitReference('127.0.0.1:5000/nucleon/echo:0123456789ab')).toEqual({ repository: '127.0.0.1:5000/nucleon/echo', tag: '0123456789ab' });
    expect(splitReference('127.0.0.1:5000/nucleon/echo')).toEqual({ repository: '127.0.0.1:5000/nucleon/echo', tag: 'latest' });
    expect(splitReference('nucleon/controller:0.1.0')).toEqual({ repository: 'nucleon/controller', tag: '0.1.0' });
  });
});

describe('renderComponentDockerfile', () => {
  it('runs the controller entry of the platform package on the Node base', () => {
    const dockerfile = renderComponentDockerfile('controller', 'nucleon/base-node:24');
    expect(dockerfile).toContain('FROM nucleon/base-node:24');
    expect(dockerfile).toContain('ENTRYPOINT ["node","/opt/nucleon/controller/node_modules/@nucleon/platform-kubernetes/dist/controller-main.js"]');
  });

  it('runs the scaler through the CLI, on the Kubernetes platform', () => {
    expect(renderComponentDockerfile('scaler', 'nucleon/base-node:24'))
      .toContain('ENTRYPOINT ["node","/opt/nucleon/scaler/node_modules/@nucleon/cli/dist/main.js","scaler","run","--platform","kube"]');
  });

  it('runs the dashboard through the CLI on the Docker platform, on every address of the container', () => {
    expect(renderComponentDockerfile('dashboard', 'nucleon/base-node:24'))
      .toContain('ENTRYPOINT ["node","/opt/nucleon/dashboard/node_modules/@nucleon/cli/dist/main.js","dashboard","--platform","docker","--host","0.0.0.0"]');
  });
});
