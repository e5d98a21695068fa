import { describe, expect, it } from 'vitest';
import { processorEnv } from './processor-env.js';

const deployer = {
  PATH: '/usr/bin', HOME: '/home/dev', LANG: 'C.UTF-8', LC_ALL: 'C', TZ: 'UTC', GOCACHE: '/cache/go', DOTNET_ROOT: '/opt/dotnet',
  NUCLEON_PYTHON: '/usr/bin/python3', AWS_SECRET_ACCESS_KEY: 'aws', NUCLEON_TEST_SECRET: 'shh', NODE_OPTIONS: '--inspect', PYTHONPATH: '/dev/py',
};

describe('processorEnv', () => {
  it('keeps the allowlisted part of the deployer environment and nothing else', () => {
    const env = processorEnv({ deployer, spec: [], platform: {} });
    expect(env).toEqual({
      PATH: '/usr/bin', HOME: '/home/dev', LANG: 'C.UTF-8', LC_ALL: 'C', TZ: 'UTC', GOCACHE: '/cache/go', DOTNET_ROOT: '/opt/dotnet',
      NUCLEON_PYTHON: '/usr/bin/python3',
    });
  });

  it('layers spec.env, the build path prefixes and the platform variables on top, in that order', () => {
    const env = processorEnv({
      deployer, spec: [{ name: 'TZ', value: 'Europe/Paris' }, { name: 'NUCLEON_HTTP_PORT', value: '1' }, { name: 'API_TOKEN', value: 't' }],
      pathPrefixes: { PATH: '/build/bin', PYTHONPATH: '/build/python' },
      platform: { NUCLEON_HTTP_PORT: '8080' },
    });
    expect(env).toMatchObject({ TZ: 'Europe/Paris', API_TOKEN: 't', PATH: '/build/bin:/usr/bin', PYTHONPATH: '/build/python', NUCLEON_HTTP_PORT: '8080' });
  });

  it('passes the names NUCLEON_LOCAL_PASS_ENV lists', () => {
    const env = processorEnv({ deployer: { ...deployer, NUCLEON_LOCAL_PASS_ENV: 'AWS_SECRET_ACCESS_KEY, NODE_OPTIONS' }, spec: [], platform: {} });
    expect(env).toMatchObject({ AWS_SECRET_ACCESS_KEY: 'aws', NODE_OPTIONS: '--inspect' });
    expect(env.NUCLEON_TEST_SECRET).toBeUndefined();
  });
});
