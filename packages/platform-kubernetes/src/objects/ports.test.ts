import { isNucleonError } from '@nucleon/core';
import { describe, expect, it } from 'vitest';
import { functionConfigOf } from './function-config.js';
import { choosePorts, portsInUse, PORT_RANGE } from './ports.js';
import type { NuclioFunctionResource } from './resource.js';
import { storedResource } from './test-fixtures.js';

const choose = (resource: NuclioFunctionResource, taken: Iterable<number> = []) =>
  choosePorts(resource, functionConfigOf(resource).config, new Set(taken));

describe('choosePorts', () => {
  it('picks a free pair in the NodePort range, the same each time for one function', () => {
    const ports = choose(storedResource());
    expect(ports.http).not.toBe(ports.admin);
    for (const port of [ports.http, ports.admin]) {
      expect(port).toBeGreaterThanOrEqual(PORT_RANGE.first);
      expect(port).toBeLessThanOrEqual(PORT_RANGE.last);
    }
    expect(choose(storedResource())).toEqual(ports);
  });

  it('keeps the ports recorded in the status', () => {
    const resource = { ...storedResource(), status: { state: 'ready' as const, httpPort: 31000, adminPort: 31001 } };
    expect(choose(resource, [30000])).toEqual({ http: 31000, admin: 31001 });
  });

  it("uses the HTTP trigger's port, and never a port another function holds", () => {
    const resource = storedResource({ triggers: { web: { kind: 'http', attributes: { port: 8080 } } } });
    const first = choose(resource);
    expect(first.http).toBe(8080);
    const again = choose(resource, [first.admin]);
    expect(again.http).toBe(8080);
    expect(again.admin).not.toBe(first.admin);
    const moved = choose({ ...storedResource(), status: { state: 'ready', httpPort: 31000, adminPort: 31001 } }, [31000]);
    expect(moved.http).not.toBe(31000);
    expect(moved.admin).toBe(31001);
  });

  it('treats port 0 ("any") as not fixed', () => {
    expect(choose(storedResource({ triggers: { web: { kind: 'http', attributes: { port: 0 } } } })).http).toBeGreaterThanOrEqual(PORT_RANGE.first);
  });

  it('fails with NUCLEON_ERR_NO_FREE_PORT when the range is full', () => {
    const all = Array.from({ length: PORT_RANGE.last - PORT_RANGE.first + 1 }, (_, i) => PORT_RANGE.first + i);
    try {
      choose(storedResource(), all);
      expect.unreachable();
    } catch (err) {
      expect(isNucleonError(err, 'NUCLEON_ERR_NO_FREE_PORT')).toBe(true);
    }
  });
});

describe('portsInUse', () => {
  it("collects recorded ports and fixed HTTP ports, except the given function's", () => {
    const a = { ...storedResource({}, { uid: 'a' }), status: { state: 'ready' as const, httpPort: 31000, adminPort: 31001 } };
    const b = storedResource({ triggers: { web: { kind: 'http', attributes: { port: 9000 } } } }, { uid: 'b', name: 'b' });
    expect([...portsInUse([a, b])].sort()).toEqual([31000, 31001, 9000]);
    expect([...portsInUse([a, b], 'a')]).toEqual([9000]);
  });
});
