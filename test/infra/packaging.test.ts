import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from './readSettingLists.js';

// What `azd package` ships: production code that needs only `dependencies`, each of which runs on the
// Node versions Vigil supports (22 in Azure, 20.19+ locally), and none of the dev tooling.

const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const sources = (dir: string) =>
  readdirSync(path.join(projectRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f));
/** Bare packages a file imports at run time (`import type` is erased and needs nothing installed). */
const runtimeImports = (file: string) =>
  [...readFileSync(path.join(projectRoot, file), 'utf8').matchAll(/^import (?!type )[^;]*? from '([^.][^']*)';/gms)]
    .map(([, specifier]) => specifier!)
    .filter((s) => !s.startsWith('node:'))
    .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));

describe('the deployment package', () => {
  // The CLI is not deployed, but `npx vigil` from an install without dev dependencies must run too.
  it('production code and the CLI import only production dependencies', () => {
    const missing = [...sources('shared'), ...sources('functions'), ...sources('cli')].flatMap((file) =>
      runtimeImports(file)
        .filter((name) => !pkg.dependencies[name])
        .map((name) => `${file} imports ${name}, which is not in dependencies`),
    );
    expect(missing).toEqual([]);
  });

  it('keeps dev-host-only packages out of dependencies', () => {
    expect(pkg.dependencies.croner).toBeUndefined();
    expect(pkg.devDependencies.croner).toBeDefined();
  });

  it('ships only dependencies whose engines accept Node 20 and 22', () => {
    const refusing = Object.keys(pkg.dependencies).flatMap((name) => {
      const engines = (
        JSON.parse(readFileSync(path.join(projectRoot, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } }
      ).engines?.node;
      return engines && /^>=\s*2[2-9]/.test(engines.trim()) ? [`${name} needs Node ${engines}`] : [];
    });
    expect(refusing).toEqual([]);
  });

  it('prunes dev dependencies before packaging and leaves sources, tests and the dev host out', () => {
    const azure = readFileSync(path.join(projectRoot, 'azure.yaml'), 'utf8');
    expect(azure).toMatch(/prepackage:[\s\S]*npm run build && npm prune --omit=dev/);
    expect(azure).toMatch(/postpackage:[\s\S]*run: npm ci/);
    const ignored = readFileSync(path.join(projectRoot, '.funcignore'), 'utf8').split('\n');
    for (const entry of ['*.ts', 'test/', 'local/', 'dist/local/', 'dist/bench/', 'dist/cli/', 'infra/', 'docs/'])
      expect(ignored).toContain(entry);
  });
});
