import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HttpError } from './http-error.js';

/** A project as the API shows it (Nuclio's shape). */
export interface ProjectView {
  metadata: { name: string };
  spec: { description?: string };
}

export const DEFAULT_PROJECT = 'default';
const NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** Projects in `stateDir/projects.json`, written atomically (temp file + rename) so a crash loses nothing. */
export class ProjectStore {
  readonly #file: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(readonly stateDir: string) {
    this.#file = join(stateDir, 'projects.json');
  }

  async list(): Promise<Record<string, ProjectView>> {
    const text = await readFile(this.#file, 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '{}';
      throw e;
    });
    const stored = JSON.parse(text) as Record<string, ProjectView>;
    return { [DEFAULT_PROJECT]: { metadata: { name: DEFAULT_PROJECT }, spec: {} }, ...stored };
  }

  async get(name: string): Promise<ProjectView | undefined> {
    return (await this.list())[name];
  }

  create(name: string, description?: string): Promise<ProjectView> {
    if (typeof name !== 'string' || !NAME.test(name)) {
      return Promise.reject(new HttpError(400, `invalid project name ${JSON.stringify(name)}: lowercase letters, digits and '-', at most 63`, 'NUCLEON_ERR_INVALID_NAME',
        [{ path: 'metadata.name', message: 'lowercase letters, digits and -, starting and ending with a letter or digit' }]));
    }
    return this.#serial(async () => {
      const all = await this.list();
      if (all[name]) throw new HttpError(409, `project ${name} exists`, 'NUCLEON_ERR_CONFLICT');
      const view: ProjectView = { metadata: { name }, spec: description ? { description } : {} };
      all[name] = view;
      await this.#write(all);
      return view;
    });
  }

  remove(name: string): Promise<boolean> {
    return this.#serial(async () => {
      const all = await this.list();
      if (!all[name] || name === DEFAULT_PROJECT) return false;
      delete all[name];
      await this.#write(all);
      return true;
    });
  }

  async #write(all: Record<string, ProjectView>): Promise<void> {
    const { [DEFAULT_PROJECT]: _default, ...rest } = all;
    await mkdir(this.stateDir, { recursive: true });
    const tmp = `${this.#file}.${process.pid}.tmp`;
    await writeFile(tmp, `${JSON.stringify(rest, null, 2)}\n`);
    await rename(tmp, this.#file);
  }

  /** Read-modify-write steps run one at a time, so two creates cannot lose one another. */
  #serial<T>(step: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(step, step);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
