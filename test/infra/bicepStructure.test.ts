import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadBicepParser, readBicep, type BicepFile } from './readBicep.js';

// What the Bicep compiler would catch first, checked without it: syntax (tree-sitter grammar), modules
// that exist, names that are declared, module parameters and outputs that match, and the azd wiring.
const root = path.resolve(import.meta.dirname, '../..');
const infra = path.join(root, 'infra');
const bicepPaths = readdirSync(infra, { recursive: true, encoding: 'utf8' })
  .filter((p) => p.endsWith('.bicep'))
  .map((p) => path.join(infra, p));
const relative = (p: string) => path.relative(root, p);
const files = new Map<string, BicepFile>();

beforeAll(async () => {
  await loadBicepParser();
  for (const p of bicepPaths) files.set(p, readBicep(p));
});

const localModules = () =>
  [...files.values()].flatMap((file) =>
    file.modules
      .filter((m) => !m.path.startsWith('br'))
      .map((m) => ({ file, module: m, target: path.resolve(path.dirname(file.path), m.path) })),
  );

describe('infra Bicep', () => {
  it('puts each decorator at most once on a declaration (Bicep BCP166, a duplicate decorator, fails the build)', () => {
    const duplicates = bicepPaths.flatMap((p) => {
      const found: string[] = [];
      let names: string[] = [];
      for (const [i, line] of readFileSync(p, 'utf8').split('\n').entries()) {
        const decorator = /^\s*@(\w+)\(/.exec(line)?.[1];
        if (decorator) {
          if (names.includes(decorator)) found.push(`${relative(p)}:${i + 1} @${decorator}`);
          names.push(decorator);
        } else if (line.trim() !== '') names = [];
      }
      return found;
    });
    expect(duplicates).toEqual([]);
  });

  it('has the layout azd and the docs expect', () => {
    for (const p of [
      'main.bicep',
      'main.parameters.json',
      'bicepconfig.json',
      'app/appSettings.bicep',
      'app/rbac.bicep',
      'graph/graphPermissions.bicep',
    ])
      expect(existsSync(path.join(infra, p)), p).toBe(true);
  });

  it('parses without syntax errors', () => {
    expect([...files.values()].flatMap((f) => f.syntaxErrors)).toEqual([]);
  });

  it('uses the Graph extension only in infra/graph/, with the alias bicepconfig.json declares', () => {
    const config = JSON.parse(readFileSync(path.join(infra, 'bicepconfig.json'), 'utf8')) as { extensions: Record<string, string> };
    for (const p of bicepPaths) {
      const alias = /^extension (\S+)/m.exec(readFileSync(p, 'utf8'))?.[1];
      if (!alias) continue;
      expect(relative(p)).toMatch(/^infra\/graph\//);
      expect(config.extensions[alias], `${relative(p)} uses extension ${alias}`).toMatch(
        /^br:mcr\.microsoft\.com\/bicep\/extensions\/microsoftgraph\/v1\.0:\d+\.\d+\.\d+$/,
      );
    }
  });

  it('references only modules that exist, and pins registry modules to a version', () => {
    for (const { file, module, target } of localModules())
      expect(existsSync(target), `${relative(file.path)}: module ${module.symbol} '${module.path}'`).toBe(true);
    const registry = [...files.values()].flatMap((f) => f.modules.filter((m) => m.path.startsWith('br')));
    expect(registry.length).toBeGreaterThan(0);
    for (const m of registry) expect(m.path).toMatch(/^br\/public:avm\/res\/[a-z-]+\/[a-z-]+:\d+\.\d+\.\d+$/);
  });

  it('uses only names it declares', () => {
    const undeclared = [...files.values()].flatMap((f) =>
      f.references.filter((r) => !f.declared.has(r.name)).map((r) => `${relative(f.path)}:${r.line} ${r.name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('passes every module exactly the parameters it declares, and all it requires', () => {
    const problems: string[] = [];
    for (const { file, module, target } of localModules()) {
      const callee = files.get(target);
      if (!callee) continue;
      const where = `${relative(file.path)}: module ${module.symbol}`;
      for (const p of module.params)
        if (!callee.params.has(p)) problems.push(`${where} passes ${p}, which ${relative(target)} does not declare`);
      for (const [p, { hasDefault }] of callee.params)
        if (!hasDefault && !module.params.includes(p)) problems.push(`${where} does not pass required ${p}`);
    }
    expect(problems).toEqual([]);
  });

  it('reads only outputs that local modules declare', () => {
    const problems: string[] = [];
    for (const file of files.values()) {
      for (const use of file.outputUses) {
        const module = file.modules.find((m) => m.symbol === use.module);
        if (!module || module.path.startsWith('br')) continue;
        const callee = files.get(path.resolve(path.dirname(file.path), module.path));
        if (!callee?.outputs.has(use.output)) problems.push(`${relative(file.path)}:${use.line} ${use.module}.outputs.${use.output}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('gives main.bicep every required parameter from main.parameters.json, and nothing it lacks', () => {
    const main = files.get(path.join(infra, 'main.bicep'))!;
    const given = Object.keys(
      (JSON.parse(readFileSync(path.join(infra, 'main.parameters.json'), 'utf8')) as { parameters: object }).parameters,
    );
    expect(given.filter((p) => !main.params.has(p))).toEqual([]);
    expect([...main.params].filter(([p, { hasDefault }]) => !hasDefault && !given.includes(p)).map(([p]) => p)).toEqual([]);
  });

  it('tags the Function App with the service name azure.yaml deploys to', () => {
    const azureYaml = readFileSync(path.join(root, 'azure.yaml'), 'utf8');
    const service = /^services:\n(?:\s*#.*\n)*\s{2}([a-z][\w-]*):/m.exec(azureYaml)?.[1];
    expect(service).toBeDefined();
    expect(readFileSync(path.join(infra, 'app/functionApp.bicep'), 'utf8')).toContain(`'azd-service-name': '${service}'`);
    expect(azureYaml).toMatch(/^\s+host: function$/m);
  });
});
