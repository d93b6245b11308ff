import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

/**
 * A Bicep file as the tests see it, parsed with the tree-sitter grammar from the `tree-sitter-bicep`
 * package (the Bicep CLI cannot be installed here). The grammar predates the `extension` keyword, so that
 * one line is blanked before parsing; the rest of the file is still checked.
 */
export interface BicepFile {
  path: string;
  syntaxErrors: string[];
  params: Map<string, { hasDefault: boolean }>;
  /** Every name a reference may resolve to: params, variables, resources, modules, loop and lambda variables. */
  declared: Set<string>;
  outputs: Set<string>;
  modules: Array<{ symbol: string; path: string; params: string[] }>;
  /** Identifiers used as values, with their 1-based line. */
  references: Array<{ name: string; line: number }>;
  /** `module.outputs.name` uses. */
  outputUses: Array<{ module: string; output: string; line: number }>;
  /** The properties of `var <name> = { … }`, each with the source text of its value. */
  objectVariable(name: string): Map<string, string> | undefined;
}

const require = createRequire(import.meta.url);
let parser: Parser | undefined;

export async function loadBicepParser(): Promise<void> {
  if (parser) return;
  await Parser.init();
  const bicep = await Language.load(require.resolve('tree-sitter-bicep/tree-sitter-bicep.wasm'));
  parser = new Parser();
  parser.setLanguage(bicep);
}

const declarations = new Set([
  'parameter_declaration',
  'variable_declaration',
  'resource_declaration',
  'module_declaration',
  'output_declaration',
]);
const namespaces = new Set(['az', 'sys']);

export function readBicep(path: string): BicepFile {
  if (!parser) throw new Error('call loadBicepParser() first');
  const source = readFileSync(path, 'utf8').replace(/^extension .*$/m, (line) => ' '.repeat(line.length));
  const tree = parser.parse(source);
  if (!tree) throw new Error(`tree-sitter could not parse ${path}`);
  const file: BicepFile = {
    path,
    syntaxErrors: [],
    params: new Map(),
    declared: new Set(),
    outputs: new Set(),
    modules: [],
    references: [],
    outputUses: [],
    objectVariable: (name) => objectVariables.get(name),
  };
  const objectVariables = new Map<string, Map<string, string>>();
  const visit = (node: Node): void => {
    if (node.isError || node.isMissing)
      file.syntaxErrors.push(`${path}:${node.startPosition.row + 1}: cannot parse "${node.text.slice(0, 60)}"`);
    collect(node, file, objectVariables);
    for (const child of node.children) visit(child);
  };
  visit(tree.rootNode);
  return file;
}

function collect(node: Node, file: BicepFile, objectVariables: Map<string, Map<string, string>>): void {
  const [first] = node.namedChildren;
  const line = node.startPosition.row + 1;
  if (declarations.has(node.type) && first) {
    const name = first.text;
    if (node.type === 'parameter_declaration') file.params.set(name, { hasDefault: node.namedChildren.length >= 3 });
    if (node.type === 'output_declaration') file.outputs.add(name);
    else file.declared.add(name);
    if (node.type === 'module_declaration')
      file.modules.push({ symbol: name, path: stringValue(node.namedChildren[1]), params: moduleParams(node) });
    const value = node.namedChildren.at(-1);
    if (node.type === 'variable_declaration' && value?.type === 'object') objectVariables.set(name, objectProperties(value));
  }
  if (node.type === 'for_statement' && first) {
    const loopVariables = first.type === 'identifier' ? [first] : first.descendantsOfType('identifier');
    for (const v of loopVariables) file.declared.add(v.text);
  }
  if (node.type === 'lambda_expression') {
    for (const p of node.namedChildren.slice(0, -1))
      for (const v of p.type === 'identifier' ? [p] : p.descendantsOfType('identifier')) file.declared.add(v.text);
  }
  if (node.type === 'identifier' && isReference(node) && !namespaces.has(node.text)) file.references.push({ name: node.text, line });
  if (node.type === 'member_expression' && first?.type === 'member_expression') {
    const [moduleNode, outputsNode] = first.namedChildren;
    const output = node.namedChildren[1];
    if (moduleNode?.type === 'identifier' && outputsNode?.text === 'outputs' && output)
      file.outputUses.push({ module: moduleNode.text, output: output.text, line });
  }
}

/** False for names that are not values: declaration names, property keys, function names, nested resource names. */
function isReference(node: Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  const isFirst = parent.namedChildren[0]?.id === node.id;
  if (isFirst && (declarations.has(parent.type) || ['object_property', 'call_expression', 'for_statement', 'type'].includes(parent.type)))
    return false;
  if (parent.type === 'lambda_expression' && parent.namedChildren.at(-1)?.id !== node.id) return false;
  if (parent.type === 'resource_expression' && !isFirst) return false;
  return !hasAncestor(node, ['type', 'for_loop_parameters', 'lambda_parameters']);
}

function hasAncestor(node: Node, types: string[]): boolean {
  for (let p = node.parent; p; p = p.parent) if (types.includes(p.type)) return true;
  return false;
}

function stringValue(node: Node | null | undefined): string {
  return node?.namedChildren.find((c) => c.type === 'string_content')?.text ?? '';
}

function objectProperties(object: Node): Map<string, string> {
  const properties = new Map<string, string>();
  for (const property of object.namedChildren.filter((c) => c.type === 'object_property')) {
    const [key, value] = property.namedChildren;
    if (key && value) properties.set(key.type === 'string' ? stringValue(key) : key.text, value.text);
  }
  return properties;
}

function moduleParams(module: Node): string[] {
  const body =
    module.namedChildren.find((c) => c.type === 'object') ?? module.namedChildren.at(-1)?.namedChildren.find((c) => c.type === 'object');
  const params = body?.namedChildren.find((c) => c.type === 'object_property' && c.namedChildren[0]?.text === 'params')?.namedChildren[1];
  return params?.type === 'object' ? [...objectProperties(params).keys()] : [];
}
