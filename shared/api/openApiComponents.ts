import { z } from 'zod';
import { rotationRequestSchema } from '../rotation/rotationRequestSchema.js';
import { rotationSteps } from '../rotation/Rotation.js';
import { connectionRequestSchema } from '../signIn/connectionRequestSchema.js';

/** The request body's JSON Schema comes from the very zod schema the handler validates with. */
const { $schema: _dialect, ...rotationRequest } = z.toJSONSchema(rotationRequestSchema, { io: 'input' });
const { $schema: _connectionDialect, ...connectionRequest } = z.toJSONSchema(connectionRequestSchema, { io: 'input' });

const nullable = (schema: object) => ({ anyOf: [schema, { type: 'null' }] });
const credential = {
  type: 'object',
  properties: {
    keyId: { type: 'string' },
    displayName: nullable({ type: 'string' }),
    endDateTime: { type: 'string', format: 'date-time' },
  },
};

export const openApiComponents = {
  securitySchemes: {
    functionKey: {
      type: 'apiKey',
      in: 'header',
      name: 'x-functions-key',
      description: 'Azure Functions key (authLevel function). Not checked by the local dev host.',
    },
    entraToken: {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
      description:
        "Entra access token for Vigil's API (client_credentials, scope `{VIGIL_API_AUDIENCE}/.default`), checked in the function: issuer and tenant, audience, signature, expiry and the app role in `x-vigil-role`.",
    },
  },
  schemas: {
    Problem: {
      type: 'object',
      description: 'RFC 9457 problem document (application/problem+json).',
      required: ['type', 'title', 'status', 'detail'],
      properties: {
        type: { type: 'string' },
        title: { type: 'string' },
        status: { type: 'integer' },
        detail: { type: 'string' },
        errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
      },
    },
    RotationRequest: rotationRequest,
    ConnectionRequest: connectionRequest,
    SignInLink: {
      type: 'object',
      required: ['signInUrl', 'expiresAt', 'linkId', 'redirectUri', 'redirectUriCheck'],
      properties: {
        connection: { type: 'object' },
        signInUrl: {
          type: 'string',
          format: 'uri',
          description: 'Single use; only the owner can complete it. Treat it as a secret until used.',
        },
        expiresAt: { type: 'string', format: 'date-time' },
        linkId: { type: 'string', description: 'Non-secret id of the link, as the audit trail names it.' },
        redirectUri: { type: 'string', format: 'uri' },
        redirectUriCheck: {
          type: 'object',
          properties: { kind: { enum: ['registered', 'unchecked'] }, reason: { type: 'string' } },
        },
      },
    },
    Rotation: {
      type: 'object',
      required: ['id', 'status', 'dryRun', 'tenantId', 'application', 'vault', 'history'],
      properties: {
        id: { type: 'string', pattern: '^rot-' },
        status: { enum: [...rotationSteps] },
        dryRun: { type: 'boolean' },
        tenantId: { type: 'string' },
        application: {
          type: 'object',
          properties: { objectId: { type: 'string' }, appId: { type: 'string' }, displayName: { type: 'string' } },
        },
        oldCredential: nullable(credential),
        newCredential: nullable(credential),
        lifetimeDays: { type: 'integer' },
        retireOldAfterHours: { anyOf: [{ type: 'integer' }, { const: 'never' }] },
        vault: {
          type: 'object',
          properties: {
            url: { type: 'string' },
            secretName: { type: 'string' },
            version: nullable({ type: 'string' }),
            previousVersion: nullable({ type: 'string' }),
          },
        },
        retireAt: nullable({ type: 'string', format: 'date-time' }),
        nextAttemptAt: nullable({ type: 'string', format: 'date-time' }),
        failure: nullable({ type: 'object', properties: { step: { type: 'string' }, reason: { type: 'string' } } }),
        requestedBy: {
          type: 'object',
          properties: { kind: { enum: ['caller', 'policy'] }, id: { type: 'string' }, name: { type: 'string' } },
        },
        requestedAt: { type: 'string', format: 'date-time' },
        updatedAt: { type: 'string', format: 'date-time' },
        history: {
          type: 'array',
          items: {
            type: 'object',
            properties: { at: { type: 'string' }, step: { type: 'string' }, outcome: { type: 'string' }, detail: { type: 'string' } },
          },
        },
      },
    },
    Object: { type: 'object', description: 'A JSON object; see the operation description.' },
  },
} as const;
