import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from '../paths.js';

/** What tsc writes for a source `x.ts`, by how the compiled file's name ends. */
const COMPILED = ['.js.map', '.d.ts', '.js'] as const;

/**
 * Removes each compiled file under `root`/dist (`.js`, `.js.map`, `.d.ts`) whose source `.ts` no longer exists,
 * and returns their paths from `root`. `npm run build` runs it after tsc (`postbuild`) instead of emptying dist/
 * before the compile: a bench or dev host started from dist/ in the same checkout keeps its files while tsc runs,
 * and a deleted source still leaves no compiled file behind that would hide a missing import. Anything else in
 * dist/ (a JSON file tsc copied) is left.
 */
export function pruneDist(root: string): string[] {
  const dist = path.join(root, 'dist');
  if (!existsSync(dist)) return [];
  const removed: string[] = [];
  for (const entry of readdirSync(dist, { recursive: true, withFileTypes: true })) {
    const suffix = COMPILED.find((s) => entry.name.endsWith(s));
    if (!entry.isFile() || suffix === undefined) continue;
    const file = path.join(entry.parentPath, entry.name);
    const source = path.join(root, path.relative(dist, file)).slice(0, -suffix.length) + '.ts';
    if (existsSync(source)) continue;
    rmSync(file);
    removed.push(path.relative(root, file));
  }
  return removed;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const removed = pruneDist(projectRoot);
  if (removed.length > 0) console.log(`pruneDist: removed ${removed.length} compiled files whose source is gone`);
}
