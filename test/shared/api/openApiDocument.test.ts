import { describe, expect, it } from 'vitest';
import { functionDefinitions } from '../../../functions/functionDefinitions.js';
import { openApiDocument } from '../../../shared/api/openApiDocument.js';

type Operation = { operationId: string; responses: Record<string, unknown>; security: unknown[] };
const document = openApiDocument();
const paths = document.paths as unknown as Record<string, Record<string, Operation>>;

/** `findings/{id:regex}/snooze` → `/findings/{id}/snooze`: route constraints are not part of the OpenAPI path. */
const toPath = (route: string) => `/${route.replace(/\{(\w+)(?::[^}]*)?\??\}/g, '{$1}')}`;
const httpDefinitions = functionDefinitions.flatMap((d) =>
  d.kind === 'http' ? d.methods.map((method) => ({ name: d.name, path: toPath(d.route), method: method.toLowerCase() })) : [],
);
const documented = Object.entries(paths).flatMap(([path, operations]) =>
  Object.entries(operations).map(([method, operation]) => ({ name: operation.operationId, path, method })),
);

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.1 with a problem schema and both security schemes', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.securitySchemes)).toEqual(['functionKey', 'entraToken']);
  });

  it('describes every HTTP function (route, method, name as operationId) and nothing else', () => {
    const key = (o: { name: string; path: string; method: string }) => `${o.method.toUpperCase()} ${o.path} ${o.name}`;
    expect(documented.map(key).sort()).toEqual(httpDefinitions.map(key).sort());
  });

  it('documents problem answers as application/problem+json and every operation needs a function key', () => {
    // Anonymous by design: the health endpoint is for load balancers and monitors, which hold no key; the
    // sign-in pages are for the owner's browser, sent there by a link and by Entra (the link is the capability).
    const anonymous = functionDefinitions.filter((d) => d.kind === 'http' && d.authLevel === 'anonymous').map((d) => d.name);
    expect(anonymous).toEqual(['getHealth', 'signInLink', 'signInCallback']);
    for (const { path, method, name } of documented)
      if (anonymous.includes(name)) expect(paths[path]![method]!.security, `${method} ${path}`).toEqual([]);
    for (const { path, method, name } of documented) {
      if (anonymous.includes(name)) continue;
      const operation = paths[path]![method]!;
      expect(operation.security.length, `${method} ${path}`).toBeGreaterThan(0);
      // Sign-in pages are for people: their refusals are pages too.
      const isPage = (operation as { tags?: string[] }).tags?.includes('sign-in');
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400 && !isPage)
          expect(Object.keys((response as { content: object }).content), `${method} ${path} ${status}`).toEqual([
            'application/problem+json',
          ]);
      }
    }
  });

  it('takes the rotation request schema from the validator: names, required fields and limits', () => {
    const schema = document.components.schemas.RotationRequest as {
      required: string[];
      properties: Record<string, { maximum?: number }>;
      additionalProperties: boolean;
    };
    expect(schema.required).toEqual(['tenantId', 'vaultSecretName']);
    expect(schema.properties['lifetimeDays']?.maximum).toBe(730);
    expect(schema.additionalProperties).toBe(false);
  });
});
