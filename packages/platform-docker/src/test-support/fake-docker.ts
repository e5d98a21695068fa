import { createServer, type Server } from 'node:http';
import type { ContainerCreateOptions, ContainerInfo, ContainerInspectInfo } from 'dockerode';
import type { ContainerHandle, DockerClient } from '../docker-client.js';

/** One container the fake engine holds. */
export interface FakeContainer {
  id: string;
  name: string;
  spec: ContainerCreateOptions;
  status: 'created' | 'running' | 'exited';
  exitCode: number;
  logs: string[];
  stopCalls: Array<{ t?: number }>;
  /** What `update` last set, else the create request's (what inspect reports as HostConfig.RestartPolicy). */
  restartPolicy: string;
  /** How many times the container was started. */
  starts: number;
  /** What inspect reports as RestartCount (a test sets it to stand for the restart policy at work). */
  restartCount: number;
  server?: Server;
}

/** How a started container behaves: serve `/ready` (default), or exit with a code at once. */
export type FakeBehaviour = { kind: 'ready' } | { kind: 'exit'; code: number; logs: string[] };

function engineError(statusCode: number, message: string): Error {
  return Object.assign(new Error(message), { statusCode });
}

/**
 * An in-memory Docker engine for unit tests: records create requests, keeps names unique
 * (409) and refuses unknown images (404). A started "ready" container really listens on its
 * NUCLEON_ADMIN_PORT (127.0.0.1) and answers `/ready`, so the platform's readiness probe runs
 * unchanged, and `/addresses` with {@link FakeDocker.addresses} when a test sets them.
 */
export class FakeDocker implements DockerClient {
  readonly containers = new Map<string, FakeContainer>();
  readonly created: ContainerCreateOptions[] = [];
  readonly images = new Set<string>(['fn:1', 'fn:2']);
  behaviour: FakeBehaviour = { kind: 'ready' };
  /** The body of a started container's `GET /addresses`; undefined: 404, as a processor older than it. */
  addresses: unknown;
  private next = 0;

  async createContainer(spec: ContainerCreateOptions): Promise<{ id: string }> {
    if (!this.images.has(spec.Image ?? '')) throw engineError(404, `No such image: ${spec.Image}`);
    if (this.find(spec.name ?? '')) throw engineError(409, `Conflict. The container name "/${spec.name}" is already in use`);
    const id = `c${++this.next}`.padEnd(12, '0');
    this.created.push(spec);
    this.containers.set(id, { id, name: spec.name ?? id, spec, status: 'created', exitCode: 0, logs: [], stopCalls: [], restartCount: 0,
      restartPolicy: spec.HostConfig?.RestartPolicy?.Name ?? 'no', starts: 0 });
    return { id };
  }

  getContainer(idOrName: string): ContainerHandle {
    const get = (): FakeContainer => {
      const c = this.find(idOrName);
      if (!c) throw engineError(404, `No such container: ${idOrName}`);
      return c;
    };
    return {
      inspect: async () => inspectInfo(get()),
      start: async () => {
        const c = get();
        if (c.status === 'running') throw engineError(304, 'container already started');
        await this.start(c);
      },
      stop: async (options = {}) => {
        const c = get();
        c.stopCalls.push(options);
        if (c.status !== 'running') throw engineError(304, 'container already stopped');
        await this.exit(c, 0);
      },
      remove: async () => {
        const c = get();
        await this.exit(c, 137);
        this.containers.delete(c.id);
      },
      rename: async ({ name }) => {
        if (this.find(name)) throw engineError(409, `name ${name} in use`);
        get().name = name;
      },
      update: async ({ RestartPolicy }) => {
        get().restartPolicy = RestartPolicy.Name;
      },
      logs: async () => multiplexed(get().logs),
    };
  }

  async listContainers(): Promise<ContainerInfo[]> {
    return [...this.containers.values()].map((c) => ({ Id: c.id, Names: [`/${c.name}`], Labels: c.spec.Labels ?? {}, State: c.status }) as unknown as ContainerInfo);
  }

  /** A container by id or current name. */
  find(idOrName: string): FakeContainer | undefined {
    return this.containers.get(idOrName) ?? [...this.containers.values()].find((c) => c.name === idOrName);
  }

  /** Stops every listener a test left behind. */
  async close(): Promise<void> {
    for (const c of this.containers.values()) await this.exit(c, 0);
  }

  private async start(c: FakeContainer): Promise<void> {
    c.starts++;
    if (this.behaviour.kind === 'exit') {
      c.logs.push(...this.behaviour.logs);
      c.status = 'exited';
      c.exitCode = this.behaviour.code;
      return;
    }
    // Running from here on, as the engine's container is before its processor listens; a
    // concurrent start then gets the engine's 304.
    c.status = 'running';
    const env = Object.fromEntries((c.spec.Env ?? []).map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
    const server = createServer((req, res) => {
      if (req.url === '/addresses' && this.addresses !== undefined) res.writeHead(200).end(JSON.stringify(this.addresses));
      else res.writeHead(req.url === '/ready' ? 200 : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(Number(env.NUCLEON_ADMIN_PORT), '127.0.0.1', resolve));
    c.server = server;
    c.logs.push('processor ready');
  }

  private async exit(c: FakeContainer, code: number): Promise<void> {
    if (c.server) await new Promise((resolve) => c.server!.close(resolve));
    c.server = undefined;
    if (c.status === 'running') {
      c.status = 'exited';
      c.exitCode = code;
    }
  }
}

function inspectInfo(c: FakeContainer): ContainerInspectInfo {
  return {
    Id: c.id,
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Config: { Labels: c.spec.Labels ?? {}, StopTimeout: c.spec.StopTimeout },
    HostConfig: { RestartPolicy: { Name: c.restartPolicy } },
    State: { Status: c.status, Running: c.status === 'running', Paused: false, Restarting: false, OOMKilled: false, ExitCode: c.exitCode, Error: '' },
  } as unknown as ContainerInspectInfo;
}

/** Lines as Docker's multiplexed log format (all on stdout). */
export function multiplexed(lines: readonly string[], stream = 1): Buffer {
  return Buffer.concat(lines.map((line) => {
    const payload = Buffer.from(`${line}\n`);
    const header = Buffer.alloc(8);
    header[0] = stream;
    header.writeUInt32BE(payload.length, 4);
    return Buffer.concat([header, payload]);
  }));
}
