import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sleep, validateFunctionConfig, type FunctionConfig, type FunctionStatus } from '@nucleon/core';
import { InMemoryLogger } from '@nucleon/core/testing';
import localPlugin, { type LocalPlatform } from '@nucleon/platform-local';
import { Scaler, type ScalerOptions } from '../scaler.js';

// The real local platform and the real processor; plugins resolve from the CLI package, which
// depends on every built-in trigger and runtime.
const PROCESSOR = fileURLToPath(import.meta.resolve('@nucleon/processor/main'));
const PACKAGE_DIR = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const CLI_DIR = join(PACKAGE_DIR, '..', 'cli');

/** A state folder with the local platform over it, scalers on it, and clean-up of all of it. */
export class LocalHarness {
  home = '';
  readonly logger = new InMemoryLogger();
  private readonly scalers: Scaler[] = [];

  async setUp(): Promise<void> {
    if (!existsSync(PROCESSOR)) throw new Error(`${PROCESSOR} is missing: build the workspace first`);
    this.home = await mkdtemp(join(tmpdir(), 'nucleon-scaler-it-'));
  }

  async tearDown(): Promise<void> {
    await Promise.all(this.scalers.splice(0).map((s) => s.stop()));
    const platform = this.platform();
    for (const fn of await platform.list()) await platform.delete(fn.name).catch(() => undefined);
    await rm(this.home, { recursive: true, force: true });
  }

  platform(): LocalPlatform {
    return localPlugin.create({ settings: { processorEntry: PROCESSOR, stateDir: join(this.home, 'local'), pluginPaths: [PACKAGE_DIR, CLI_DIR] } }) as LocalPlatform;
  }

  /** A scaler over this harness's platform, polling fast, stopped at tear-down. */
  scaler(options: Partial<ScalerOptions> = {}): Scaler {
    const scaler = new Scaler({ platform: this.platform(), logger: this.logger, intervalMs: 200, probeIntervalMs: 200, ...options });
    this.scalers.push(scaler);
    return scaler;
  }

  async stopScaler(scaler: Scaler): Promise<void> {
    this.scalers.splice(this.scalers.indexOf(scaler), 1);
    await scaler.stop();
  }

  async code(name: string, files: Record<string, string>): Promise<string> {
    const dir = join(this.home, 'code', name);
    await mkdir(dir, { recursive: true });
    await Promise.all(Object.entries(files).map(([file, text]) => writeFile(join(dir, file), text)));
    return dir;
  }

  async deploy(config: FunctionConfig, functionDir: string): Promise<FunctionStatus> {
    return this.platform().deploy({ config, functionDir, readinessTimeoutMs: 30_000 });
  }

  /** Polls `get` until the function is in `state`, or throws after `timeoutMs`. */
  async waitFor(name: string, state: FunctionStatus['state'], timeoutMs = 20_000): Promise<FunctionStatus> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const status = await this.platform().get(name);
      if (status?.state === state) return status;
      if (Date.now() > until) throw new Error(`"${name}" did not reach ${state} within ${timeoutMs} ms (it is ${status?.state ?? 'gone'})`);
      await sleep(100);
    }
  }
}

/** A scale-to-zero function: idle after `window` without an event. */
export function zeroable(name: string, window = '2s', spec: Record<string, unknown> = {}): FunctionConfig {
  return validateFunctionConfig({
    metadata: { name },
    spec: { handler: 'main:handler', runtime: 'nodejs', minReplicas: 0, scaleToZero: { scaleResources: [{ windowSize: window, threshold: 0 }] }, ...spec },
  }).config;
}
