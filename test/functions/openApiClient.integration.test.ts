import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionDefinitions } from '../../functions/functionDefinitions.js';
import { scanTenantQueue } from '../../functions/scanTenantQueue.js';
import { serveHttpFunctions } from '../../local/devhost/serveHttpFunctions.js';
import { TENANT } from '../support/testScenario.js';
import { startRotationStack, type RotationStack } from './rotationStack.js';
import { drainQueues } from '../support/drainQueues.js';

/**
 * The operator's path to a client: fetch Vigil's served OpenAPI description, generate TypeScript types
 * from it with openapi-typescript, type-check a small openapi-fetch client against them (strict), then
 * run that client against the API over HTTP. An untyped or mistyped answer fails the compile.
 */
let r: RotationStack;
let api: string;
let closeApi: (() => Promise<void>) | undefined;
// Under node_modules, so the generated client resolves openapi-fetch as an operator's project would.
mkdirSync('node_modules/.cache', { recursive: true });
const workDir = mkdtempSync(join('node_modules/.cache', 'vigil-openapi-'));

beforeAll(async () => {
  r = await startRotationStack();
  const server = await serveHttpFunctions(functionDefinitions, r.runtime, () => undefined, 0);
  api = server.url;
  closeApi = server.close;
});
afterAll(async () => {
  await closeApi?.();
  await r?.stack.stop();
  rmSync(workDir, { recursive: true, force: true });
});

/** Type-checks the client strictly and emits it as ESM next to the generated types; the diagnostics, if any. */
function compile(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    outDir: workDir,
  });
  const emitted = program.emit();
  return [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('a client generated from the served OpenAPI description', () => {
  it('type-checks against the generated types and reads findings, connections, the log, the inventory and a dry run', async () => {
    const served = await fetch(`${api}/openapi.json`);
    expect(served.status).toBe(200);
    const description = (await served.json()) as { components: { securitySchemes: { entraToken: { flows: object } } } };
    expect(description.components.securitySchemes.entraToken.flows).toMatchObject({
      clientCredentials: {
        tokenUrl: expect.stringMatching(new RegExp(`/${TENANT}/oauth2/v2\\.0/token$`)),
        scopes: { 'api://vigil/.default': expect.any(String) },
      },
    });
    writeFileSync(join(workDir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(workDir, 'vigil-api.d.ts'), astToString(await openapiTS(description as never)));
    const client = join(workDir, 'useVigilApi.ts');
    writeFileSync(client, readFileSync('test/functions/openApiClient/useVigilApi.ts.txt', 'utf8'));
    expect(compile(client)).toEqual([]);

    const { useVigilApi } = (await import(pathToFileURL(join(workDir, 'useVigilApi.js')).href)) as {
      useVigilApi: (baseUrl: string, token: string, rotation: object) => Promise<Record<string, unknown>>;
    };
    const token = await r.token('Ops CLI');
    const rotation = { tenantId: TENANT, appId: r.appId('Creatio CRM'), vaultSecretName: 'creatio-client-secret' };
    // First the scan the client asks for, run as the host would, then the rest of what it reads.
    const first = await useVigilApi(api, token, rotation);
    expect(first['queued']).toContain(TENANT);
    await drainQueues([scanTenantQueue], r.runtime);
    const seen = await useVigilApi(api, token, rotation);
    expect(seen['findings']).toBeGreaterThan(2);
    expect(seen['pages']).toBeGreaterThan(1);
    expect(seen['ends']).toEqual((seen['ends'] as string[]).map((e) => new Date(e).toISOString()));
    expect(seen['usage']).toEqual(expect.arrayContaining([expect.stringMatching(/^(used|unused|unknown|n\/a)$/)]));
    expect(seen['dryRun']).toEqual({ status: 'addSecret', dryRun: true, app: 'Creatio CRM' });
    expect(seen['problem']).toEqual({ type: 'urn:vigil:problem:invalidBody', fields: ['lifetimeDays'] });
    expect(seen['inventoryAnswer']).toMatch(/^(taken |urn:vigil:problem:noInventory)/);
    expect(Array.isArray(seen['outcomes'])).toBe(true);
    expect(Array.isArray(seen['lapse'])).toBe(true);
  });
});
