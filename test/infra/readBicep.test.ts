import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBicepParser, readBicep } from './readBicep.js';

// The structure checks are only as good as this reader: show it finds what the Bicep compiler would reject.
const dir = mkdtempSync(path.join(tmpdir(), 'vigil-bicep-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return readBicep(file);
};

beforeAll(loadBicepParser);

describe('readBicep', () => {
  it('collects declarations, references, module calls and output uses', () => {
    const file = write(
      'main.bicep',
      `@description('d')
param name string
param size int = 3
var settings = { A_SETTING: name, 'quoted-key': 'x\${size}' }
resource store 'Microsoft.Storage/storageAccounts@2023-05-01' existing = { name: name }
module app './app.bicep' = if (size > 1) {
  name: 'app'
  params: { label: store.name, items: [for item in ['a']: item], pick: filter([1], n => n > 0) }
}
output host string = app.outputs.host
`,
    );
    expect(file.syntaxErrors).toEqual([]);
    expect([...file.params]).toEqual([
      ['name', { hasDefault: false }],
      ['size', { hasDefault: true }],
    ]);
    expect([...file.declared].sort()).toEqual(['app', 'item', 'n', 'name', 'settings', 'size', 'store']);
    expect(file.modules).toEqual([{ symbol: 'app', path: './app.bicep', params: ['label', 'items', 'pick'] }]);
    expect(file.outputs).toEqual(new Set(['host']));
    expect(file.outputUses).toEqual([{ module: 'app', output: 'host', line: 10 }]);
    expect(file.objectVariable('settings')).toEqual(
      new Map([
        ['A_SETTING', 'name'],
        ['quoted-key', "'x${size}'"],
      ]),
    );
    expect(file.references.every((r) => file.declared.has(r.name))).toBe(true);
  });

  it('reports a name that is used but never declared', () => {
    const file = write('undeclared.bicep', `param a string\noutput b string = '\${a}\${missingParam}'\n`);
    expect(file.references.filter((r) => !file.declared.has(r.name))).toEqual([{ name: 'missingParam', line: 2 }]);
  });

  it('reports syntax errors with their line', () => {
    const file = write('broken.bicep', `param a string\nvar b = {\n  c: \n`);
    expect(file.syntaxErrors.length).toBeGreaterThan(0);
    expect(file.syntaxErrors[0]).toMatch(/broken\.bicep:\d+: cannot parse/);
  });

  it('reads a file that uses an extension, blanking only that line', () => {
    const file = write('graph.bicep', `extension microsoftGraphV1\nparam principalId string\noutput p string = principalId\n`);
    expect(file.syntaxErrors).toEqual([]);
    expect(file.params.has('principalId')).toBe(true);
  });
});
