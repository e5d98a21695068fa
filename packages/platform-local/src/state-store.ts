import { chmod, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assertFunctionName, isFunctionName } from '@nucleon/core';

/** What `status.json` records about one deployed function; the only source of truth. */
export interface FunctionRecord {
  name: string;
  pid: number;
  httpPort: number;
  /** The address the HTTP trigger binds; absent in records of older versions (127.0.0.1). */
  httpHost?: string;
  adminPort: number;
  /** Directory holding the handler code. */
  functionDir: string;
  createdAt: string;
  runtime: string;
  handler: string;
  /** The processor main file; a live pid whose command line lacks it is a reused pid. */
  processorEntry: string;
  /** False when the function has triggers but none of kind `http` (then it has no URL). */
  hasHttpTrigger?: boolean;
  /** The build folder the processor runs from, when the function has build commands. */
  buildDir?: string;
}

/** File layout under `<stateDir>`: `functions/<name>/{function.json,status.json,processor.log}`. */
export class StateStore {
  constructor(readonly stateDir: string) {}

  functionsDir(): string {
    return join(this.stateDir, 'functions');
  }

  /** The function's folder; a name that is not a function name is refused before any path is made. */
  dir(name: string): string {
    assertFunctionName(name);
    return join(this.functionsDir(), name);
  }

  configFile(name: string): string {
    return join(this.dir(name), 'function.json');
  }

  /** Where a replacing deploy writes its config until the new processor is ready. */
  nextConfigFile(name: string): string {
    return join(this.dir(name), 'function.next.json');
  }

  statusFile(name: string): string {
    return join(this.dir(name), 'status.json');
  }

  logFile(name: string): string {
    return join(this.dir(name), 'processor.log');
  }

  /**
   * Creates the function's folder. The state directory is made private (0700) first: it holds
   * `spec.env` values (secrets) and logs, which no other local user may read, wherever
   * NUCLEON_HOME points.
   */
  async ensureDir(name: string): Promise<void> {
    const dir = this.dir(name);
    await mkdir(this.stateDir, { recursive: true, mode: 0o700 });
    await chmod(this.stateDir, 0o700);
    await mkdir(dir, { recursive: true, mode: 0o700 });
  }

  /** The record of `name`, or undefined when there is none (or it is unreadable). */
  async read(name: string): Promise<FunctionRecord | undefined> {
    const file = this.statusFile(name);
    try {
      const record = JSON.parse(await readFile(file, 'utf8')) as FunctionRecord;
      // A record naming another function is not this function's record.
      return typeof record.pid === 'number' && record.name === name ? record : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes `status.json` atomically (temp file + rename) so a reader never sees half a record. */
  async write(record: FunctionRecord): Promise<void> {
    await this.writeJson(this.statusFile(record.name), record);
  }

  async writeJson(file: string, value: unknown): Promise<void> {
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    await rename(temp, file);
  }

  /** Names of every function folder holding a record, sorted. */
  async names(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.functionsDir());
    } catch {
      return [];
    }
    return entries.filter(isFunctionName).sort();
  }

  async remove(name: string): Promise<void> {
    await rm(this.dir(name), { recursive: true, force: true });
  }
}
