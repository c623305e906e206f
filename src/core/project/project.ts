import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { throwIfAborted } from '../../shared/abort';
import { AppError } from '../../shared/errors';
import { describeIssues } from '../../shared/rpc';
import { PROJECT_SCHEMA, ProjectFileSchema, type ProjectFile } from '../../shared/contract/search';
import { atomicWriteFile } from '../util/atomic-write';

export const PROJECT_FILE = 'project.json';

/**
 * A project folder: project.json (scenes, indexes, queries, ROIs) plus fields/<scene>__<pack>/
 * Zarr stores. Every change goes through `update`, which serialises writers of this process and
 * writes the file atomically (temp, fsync, rename), so a kill at any moment leaves the old or the
 * new file. Re-reads the file before each update so a CLI run beside the app does not lose the
 * other's changes (last writer wins per update, not per session).
 */
export class Project {
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dir: string,
    private current: ProjectFile,
  ) {}

  get data(): ProjectFile {
    return this.current;
  }

  /** Absolute path of a path stored relative to the project. */
  resolve(rel: string): string {
    return path.join(this.dir, rel);
  }

  /**
   * Opens `dir`/project.json; with `create`, makes the folder and an empty project when there is
   * none. A file that is not valid JSON or fails the schema is reported, never overwritten.
   */
  static async open(dir: string, opts: { create?: boolean } = {}, signal?: AbortSignal): Promise<Project> {
    throwIfAborted(signal);
    const abs = path.resolve(dir);
    const file = path.join(abs, PROJECT_FILE);
    const exists = await fs.stat(file).then(
      () => true,
      () => false,
    );
    if (!exists) {
      if (!opts.create)
        throw new AppError('NOT_FOUND', `${abs}: not a GRAFT project (no ${PROJECT_FILE}); create it first`);
      await fs.mkdir(abs, { recursive: true });
      const empty: ProjectFile = {
        schema: PROJECT_SCHEMA,
        created: new Date().toISOString(),
        scenes: [],
        indexes: [],
        queries: [],
        rois: [],
      };
      await atomicWriteFile(file, JSON.stringify(empty, null, 2), {}, signal);
      return new Project(abs, empty);
    }
    return new Project(abs, await readProjectFile(file));
  }

  /** Re-reads project.json from disk (another process may have changed it). */
  async reload(): Promise<ProjectFile> {
    this.current = await readProjectFile(path.join(this.dir, PROJECT_FILE));
    return this.current;
  }

  /** Applies `fn` to a fresh copy of the file and writes it atomically; returns fn's result. */
  update<T>(fn: (p: ProjectFile) => T, signal?: AbortSignal): Promise<T> {
    const run = this.tail.then(async () => {
      throwIfAborted(signal);
      const fresh = await readProjectFile(path.join(this.dir, PROJECT_FILE));
      const result = fn(fresh);
      const checked = ProjectFileSchema.safeParse(fresh);
      if (!checked.success)
        throw new AppError(
          'INTERNAL',
          `project update would write an invalid ${PROJECT_FILE}: ${describeIssues(checked.error)}`,
        );
      await atomicWriteFile(path.join(this.dir, PROJECT_FILE), JSON.stringify(fresh, null, 2), {}, signal);
      this.current = fresh;
      return result;
    });
    this.tail = run.catch(() => {});
    return run;
  }

  /** A new id for a query or an ROI. */
  static newId(prefix: string): string {
    return `${prefix}-${randomUUID().slice(0, 8)}`;
  }
}

async function readProjectFile(file: string): Promise<ProjectFile> {
  let raw: unknown;
  try {
    raw = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (e) {
    throw new AppError(
      'INVALID_INPUT',
      `${file}: unreadable or not JSON (${(e as Error).message}); fix or restore it, the app will not overwrite it`,
    );
  }
  const r = ProjectFileSchema.safeParse(raw);
  if (!r.success) {
    const schema = (raw as { schema?: unknown })?.schema;
    if (schema !== undefined && schema !== PROJECT_SCHEMA)
      throw new AppError(
        'UNSUPPORTED',
        `${file}: project schema ${JSON.stringify(schema)}, this version reads ${PROJECT_SCHEMA}`,
      );
    throw new AppError(
      'INVALID_INPUT',
      `${file}: not a valid project file (${describeIssues(r.error)}); fix or restore it, the app will not overwrite it`,
    );
  }
  return r.data;
}
