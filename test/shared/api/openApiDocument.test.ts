import { describe, expect, it } from 'vitest';
import { functionDefinitions } from '../../../functions/functionDefinitions.js';
import { openApiDocument } from '../../../shared/api/openApiDocument.js';
import { snoozeRequestSchema } from '../../../shared/notifications/snoozeRequestSchema.js';
import { rotationRequestSchema } from '../../../shared/rotation/rotationRequestSchema.js';

type Operation = { operationId: string; 'x-vigil-function'?: string; responses: Record<string, unknown>; security: unknown[] };
const document = openApiDocument();
const paths = document.paths as unknown as Record<string, Record<string, Operation>>;

/** `findings/{id:regex}/snooze` → `/findings/{id}/snooze`: route constraints are not part of the OpenAPI path. */
const toPath = (route: string) => `/${route.replace(/\{(\w+)(?::[^}]*)?\??\}/g, '{$1}')}`;
const httpDefinitions = functionDefinitions.flatMap((d) =>
  d.kind === 'http' ? d.methods.map((method) => ({ name: d.name, path: toPath(d.route), method: method.toLowerCase() })) : [],
);
const documented = Object.entries(paths).flatMap(([path, operations]) =>
  Object.entries(operations).map(([method, operation]) => ({ name: operation['x-vigil-function'] ?? operation.operationId, path, method })),
);

describe('the OpenAPI description', () => {
  it('is OpenAPI 3.1 with a problem schema and both security schemes', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components.securitySchemes)).toEqual(['functionKey', 'entraToken']);
  });

  it('describes every HTTP function (route, method, name as operationId) and nothing else, each operationId once', () => {
    const ids = Object.values(paths).flatMap((operations) => Object.values(operations).map((o) => o.operationId));
    expect(new Set(ids).size).toBe(ids.length);
    const key = (o: { name: string; path: string; method: string }) => `${o.method.toUpperCase()} ${o.path} ${o.name}`;
    expect(documented.map(key).sort()).toEqual(httpDefinitions.map(key).sort());
  });

  it('documents problem answers as application/problem+json and every operation needs a function key', () => {
    // Anonymous by design: the health endpoint is for load balancers and monitors, which hold no key; the
    // sign-in pages are for the owner's browser, sent there by a link and by Entra (the link is the capability).
    // The status page and its forms are opened from links in notifications, which carry no key: the host lets
    // them through and Vigil's own check (a token, or App Service Authentication's user) decides.
    const pages = ['getDashboard', 'snoozeFromDashboard', 'reconnectFromDashboard'];
    const anonymous = functionDefinitions.filter((d) => d.kind === 'http' && d.authLevel === 'anonymous').map((d) => d.name);
    expect(anonymous.sort()).toEqual(['getHealth', 'signInLink', 'signInCallback', ...pages].sort());
    for (const { path, method, name } of documented) {
      const { security } = paths[path]![method]!;
      if (pages.includes(name)) expect(security, `${method} ${path}`).toEqual([{ entraToken: [expect.stringMatching(/\/\.default$/)] }]);
      else if (anonymous.includes(name)) expect(security, `${method} ${path}`).toEqual([]);
    }
    for (const { path, method, name } of documented) {
      if (anonymous.includes(name) && !pages.includes(name)) continue;
      const operation = paths[path]![method]!;
      expect(operation.security.length, `${method} ${path}`).toBeGreaterThan(0);
      // Sign-in pages are for people: their refusals are pages too. Every 500 is checked below.
      const isPage = (operation as { tags?: string[] }).tags?.includes('sign-in');
      for (const [status, response] of Object.entries(operation.responses)) {
        if (Number(status) >= 400 && status !== '500' && !isPage)
          expect(Object.keys((response as { content: object }).content), `${method} ${path} ${status}`).toEqual([
            'application/problem+json',
          ]);
      }
    }
  });

  it("says in its overview which routes take no function key, as each operation's security does", () => {
    const overview = document.info.description;
    expect(overview).not.toMatch(/every call needs the function key/i);
    expect(overview).toMatch(/status page and its forms take no function key/);
    expect(overview).toMatch(/`\/health` and the sign-in pages are anonymous/);
  });

  it('lists on every operation the 500 problem any handler that throws answers, and on pages the page that says so', () => {
    const browserPages = ['getDashboard', 'snoozeFromDashboard', 'reconnectFromDashboard', 'signInLink', 'signInCallback'];
    for (const { path, method, name } of documented) {
      const response = paths[path]![method]!.responses['500'] as { description: string; content: object } | undefined;
      expect(response?.description, `${method} ${path}`).toContain('urn:vigil:problem:internal');
      expect(Object.keys(response!.content), `${method} ${path}`).toEqual([
        'application/problem+json',
        ...(browserPages.includes(name) ? ['text/html'] : []),
      ]);
    }
  });

  it("keeps a page's own 500 beside the unexpected one: the sign-in callback's refusal when Vigil could not make its request to Entra", () => {
    const response = paths['/signed-in']!['get']!.responses['500'] as { description: string; content: object };
    expect(response.description).toMatch(/could not make its request to Entra/);
    expect(response.description).toContain('urn:vigil:problem:internal');
    expect(Object.keys(response.content)).toEqual(['application/problem+json', 'text/html']);
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

describe('the typed OpenAPI description', () => {
  const schemas = document.components.schemas as Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
  const text = JSON.stringify(document);

  it('types every JSON answer and body by a named schema generated from zod, with every reference resolvable', () => {
    for (const { path, method, name } of documented) {
      const operation = paths[path]![method]! as Operation & { requestBody?: { content: Record<string, { schema: object }> } };
      const contents = [
        ...Object.values(operation.responses).map((r) => (r as { content?: Record<string, { schema: object }> }).content ?? {}),
        operation.requestBody?.content ?? {},
      ];
      for (const content of contents) {
        const schema = content['application/json']?.schema;
        if (schema && name !== 'getOpenApi') expect(schema, `${method} ${path}`).toHaveProperty('$ref');
      }
    }
    for (const [, target] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) expect(schemas).toHaveProperty(target!);
    // zod puts schemas it cannot place under `__shared`; `$id` with a fragment is invalid JSON Schema.
    expect(text).not.toContain('__shared');
    expect(text).not.toMatch(/"\$id"|"\$schema"/);
  });

  it('shows the fields of findings and connections, with times as date-time and answers open to new fields', () => {
    expect(schemas['Finding']?.properties).toMatchObject({
      id: { type: 'string' },
      endDateTime: { type: 'string', format: 'date-time' },
      usage: { anyOf: [{ $ref: '#/components/schemas/CredentialUsage' }, { type: 'null' }] },
      advice: { anyOf: [{ $ref: '#/components/schemas/Advice' }, { type: 'null' }] },
      impact: { anyOf: [{ $ref: '#/components/schemas/Impact' }, { type: 'null' }] },
      hygiene: { type: 'array', items: { $ref: '#/components/schemas/HygieneItem' } },
      severity: { enum: ['info', 'low', 'medium', 'high', 'critical'] },
    });
    expect(schemas['Connection']?.properties).toMatchObject({
      expectedLapse: { anyOf: [{ type: 'string', format: 'date-time' }, { type: 'null' }] },
      expectedLapseCause: { anyOf: [{ enum: ['refreshToken', 'clientSecret', 'clientCertificate'] }, { type: 'null' }] },
      credentialKind: { enum: ['clientSecret', 'certificate'] },
      clientSecret: { anyOf: [{ properties: { findingId: { type: ['string', 'null'] } } }, { type: 'null' }] },
      clientCertificate: {
        anyOf: [{ properties: { endDateTime: { anyOf: [{ format: 'date-time' }, { type: 'null' }] } } }, { type: 'null' }],
      },
    });
    for (const page of ['FindingsPage', 'ConnectionsPage', 'DeliveryLogPage'])
      expect(schemas[page], page).toMatchObject({
        required: expect.arrayContaining(['value']),
        properties: { nextLink: { format: 'uri' } },
      });
    expect(text).not.toContain('"additionalProperties":false,"description":"A credential');
    expect(schemas['Finding']).not.toHaveProperty('additionalProperties');
    expect(schemas['RotationRequest']).toHaveProperty('additionalProperties', false);
  });

  it('takes query parameters from the handlers’ schemas: enums, limits and the comma-separated severity list', () => {
    const parameters = (path: string) =>
      (paths[path]!['get'] as unknown as { parameters: Array<{ name: string; schema: object; style?: string; explode?: boolean }> })
        .parameters;
    expect(parameters('/findings').map((p) => p.name)).toEqual(['tenant', 'severity', 'maxDaysLeft', 'format', '$top', '$skipToken']);
    expect(parameters('/findings').find((p) => p.name === 'severity')).toMatchObject({
      style: 'form',
      explode: false,
      schema: { type: 'array', items: { enum: ['info', 'low', 'medium', 'high', 'critical'] } },
    });
    for (const path of ['/connections', '/notifications'])
      expect(parameters(path).find((p) => p.name === '$top')?.schema, path).toEqual({ type: 'integer', minimum: 1, maximum: 1000 });
  });

  it('describes the Entra token as OAuth 2.0 client credentials at the configured tenant, and the app role of each operation', () => {
    const configured = openApiDocument({
      oauth: {
        tokenUrl: 'https://login.microsoftonline.us/7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f/oauth2/v2.0/token',
        scope: 'api://vigil-gov/.default',
      },
    });
    expect(configured.components.securitySchemes.entraToken).toMatchObject({
      type: 'oauth2',
      flows: {
        clientCredentials: {
          tokenUrl: 'https://login.microsoftonline.us/7d3c1f4e-9a2b-4c6d-8e1f-0a1b2c3d4e5f/oauth2/v2.0/token',
          scopes: { 'api://vigil-gov/.default': expect.stringContaining('Vigil.Rotate') },
        },
      },
    });
    const rotate = configured.paths['/rotations'].post as {
      security: unknown;
      description: string;
      responses: Record<string, unknown>;
      'x-vigil-role': string;
    };
    expect(rotate.security).toEqual([{ functionKey: [], entraToken: ['api://vigil-gov/.default'] }]);
    expect(rotate['x-vigil-role']).toBe('Vigil.Rotate');
    expect(rotate.description).toContain('Vigil.Rotate');
    expect(rotate.responses['415']).toBeDefined();
    expect((configured.paths['/findings'].get as { description: string }).description).toContain('Vigil.Read');
  });
});

describe('the examples in the description', () => {
  it('are bodies the handlers accept', () => {
    const examples = (name: string) => (document.components.schemas as Record<string, { examples?: unknown[] }>)[name]?.examples ?? [];
    expect(examples('RotationRequest').length).toBeGreaterThan(0);
    for (const example of examples('RotationRequest')) expect(rotationRequestSchema.safeParse(example).success).toBe(true);
    expect(examples('SnoozeRequest').length).toBeGreaterThan(0);
    for (const example of examples('SnoozeRequest')) expect(snoozeRequestSchema.safeParse(example).success).toBe(true);
  });
});
