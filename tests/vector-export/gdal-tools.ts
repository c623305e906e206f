import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Debian's python3 with osgeo (python3-gdal); not the pyenv `python3`. */
export const PYTHON = '/usr/bin/python3';
export const HERE = path.dirname(new URL(import.meta.url).pathname);
export const FIXTURES = path.resolve(HERE, '../.fixtures/vector-export');

/** True when GDAL's Python bindings and ogrinfo are installed. */
export function hasGdal(): boolean {
  try {
    execFileSync(PYTHON, ['-c', 'from osgeo import gdal, ogr'], { stdio: 'ignore' });
    execFileSync('ogrinfo', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs one of the Python helpers beside this file and parses its JSON output. */
export function runPy<T>(script: string, args: string[]): T {
  const out = execFileSync(PYTHON, [path.join(HERE, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out) as T;
}

export function fixtureDir(name: string): string {
  const d = path.join(FIXTURES, name);
  fs.mkdirSync(d, { recursive: true });
  return d;
}
