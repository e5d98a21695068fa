import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

/**
 * The processor's testing kit (packages/processor/src/testing), for this package's
 * integration tests. The processor dev-depends on this package (its own tests load the HTTP
 * trigger), so a dependency back would be a cycle nx refuses to build: the kit is loaded from
 * the workspace's built processor instead, the same build every integration test runs, and
 * only the part used here is typed.
 */
export interface StartedProcessor {
  child: { pid?: number | undefined };
  url: string;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

interface ProcessorKit {
  functionDir(files: Record<string, string>): string;
  functionYaml(options: { trigger?: string }): string;
  triggerYaml(options: { name: string; kind: string; attributes?: string[] }): string;
  startProcessor(dir: string): Promise<StartedProcessor>;
}

const kit = (await import(new URL('../../processor/dist/testing/index.js', import.meta.url).href)) as ProcessorKit;

/** Starts the real processor with a Node handler (`main.js`) behind one HTTP trigger with `attributes` (YAML lines). */
export async function startHttpFunction(handler: string, attributes: string[] = []): Promise<StartedProcessor & { port: number; pid: number }> {
  const trigger = kit.triggerYaml({ name: 'web', kind: 'http', attributes });
  const processor = await kit.startProcessor(kit.functionDir({ 'function.yaml': kit.functionYaml({ trigger }), 'main.js': handler }));
  return Object.assign(processor, { port: Number(new URL(processor.url).port), pid: processor.child.pid as number });
}

/** The resident memory of `pid` in MiB (VmRSS), what the system sees the process hold. */
export function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) / 1024;
}

/** What a raw client saw: every byte back, and when (ms after connecting) the server closed, if it did. */
export interface RawReply {
  text: string;
  firstLine: string;
  closedAfterMs: number | undefined;
}

/**
 * Connects to 127.0.0.1:`port`, writes `parts` (a string, or strings with a pause of
 * `gapMs` between), and collects what comes back until the server closes or `waitMs` passes.
 */
export function rawExchange(port: number, parts: string | string[], options: { waitMs: number; gapMs?: number }): Promise<RawReply> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    let closedAfterMs: number | undefined;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, firstLine: text.split('\r\n')[0] ?? '', closedAfterMs });
    };
    const timer = setTimeout(finish, options.waitMs);
    socket.on('data', (d: Buffer) => { text += d.toString('latin1'); });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closedAfterMs = Date.now() - started;
      finish();
    });
    const list = typeof parts === 'string' ? [parts] : parts;
    void (async () => {
      for (const [i, part] of list.entries()) {
        if (socket.destroyed) return;
        if (i > 0) await new Promise((r) => setTimeout(r, options.gapMs ?? 0));
        socket.write(part);
      }
    })();
  });
}
