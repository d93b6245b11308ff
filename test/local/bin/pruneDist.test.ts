import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { pruneDist } from '../../../local/bin/pruneDist.js';

describe('pruneDist (npm run build, after tsc)', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const write = (file: string) => {
    mkdirSync(path.dirname(path.join(root!, file)), { recursive: true });
    writeFileSync(path.join(root!, file), '');
  };

  it('removes the compiled files of a deleted source and keeps every other file in dist/', () => {
    root = mkdtempSync(path.join(tmpdir(), 'vigil-prune-'));
    for (const file of ['shared/kept.ts', 'dist/shared/kept.js', 'dist/shared/kept.js.map', 'dist/shared/data.json']) write(file);
    for (const file of ['dist/shared/gone.js', 'dist/shared/gone.js.map', 'dist/shared/gone.d.ts', 'dist/bench/old/gone.js']) write(file);
    expect(pruneDist(root).sort()).toEqual(
      ['dist/bench/old/gone.js', 'dist/shared/gone.d.ts', 'dist/shared/gone.js', 'dist/shared/gone.js.map'].map((f) => path.normalize(f)),
    );
    for (const file of ['dist/shared/kept.js', 'dist/shared/kept.js.map', 'dist/shared/data.json']) {
      expect(existsSync(path.join(root, file))).toBe(true);
    }
    expect(existsSync(path.join(root, 'dist/shared/gone.js'))).toBe(false);
  });

  it('does nothing where there is no dist/ yet', () => {
    root = mkdtempSync(path.join(tmpdir(), 'vigil-prune-'));
    expect(pruneDist(root)).toEqual([]);
  });
});
