import { z } from 'zod';
import { inventoryViewSchema } from '../inventory/toInventoryView.js';
import { healthReportSchema } from '../health/checkHealth.js';
import { adviceSchema, hygieneItemSchema, impactSchema, usageSchema } from '../intelligence/intelligenceSchemas.js';
import { deliveryLogEntrySchema, deliveryLogPageSchema } from '../notifications/deliveryLogEntrySchema.js';
import { snoozedFindingSchema, snoozeRequestSchema } from '../notifications/snoozeRequestSchema.js';
import { rotationRequestSchema } from '../rotation/rotationRequestSchema.js';
import { rotationViewSchema } from '../rotation/toRotationView.js';
import { queuedScansSchema, scanRequestSchema } from '../scanner/scanRequestSchema.js';
import { findingRowSchema, findingsPageSchema, unscannedRowSchema } from '../scanner/toFindingRows.js';
import { connectionRequestSchema } from '../signIn/connectionRequestSchema.js';
import { signInLinkViewSchema } from '../signIn/signInLinkViewSchema.js';
import { connectionsPageSchema, connectionViewSchema, refreshResultSchema } from '../tokens/toConnectionView.js';
import { problemSchema } from './problemTypes.js';

/** What the API answers: each schema is the one the handler's answer is typed by. */
const responses = {
  FindingsPage: findingsPageSchema,
  Finding: findingRowSchema,
  UnscannedTenant: unscannedRowSchema,
  CredentialUsage: usageSchema,
  Advice: adviceSchema,
  Impact: impactSchema,
  HygieneItem: hygieneItemSchema,
  ConnectionsPage: connectionsPageSchema,
  Connection: connectionViewSchema,
  RefreshResult: refreshResultSchema,
  SignInLink: signInLinkViewSchema,
  DeliveryLogPage: deliveryLogPageSchema,
  DeliveryLogEntry: deliveryLogEntrySchema,
  Inventory: inventoryViewSchema,
  Rotation: rotationViewSchema,
  QueuedScans: queuedScansSchema,
  SnoozedFinding: snoozedFindingSchema,
  Health: healthReportSchema,
  Problem: problemSchema,
};

/** What the API takes: each schema is the one the handler validates the body with. */
const requests = {
  RotationRequest: rotationRequestSchema,
  ConnectionRequest: connectionRequestSchema,
  ScanRequest: scanRequestSchema,
  SnoozeRequest: snoozeRequestSchema,
};

export type SchemaName = keyof typeof responses | keyof typeof requests;

type JsonSchema = Record<string, unknown>;

/**
 * Tidies a generated schema for OpenAPI: a `format` says enough (zod's own pattern for `uuid` or an ISO
 * time is noise to a reader and to code generators), as does `integer`; and an answer may gain fields: a client must not
 * reject one it does not know, so answers are not closed with `additionalProperties: false`.
 */
export const tidy =
  (io: 'input' | 'output') =>
  ({ jsonSchema }: { jsonSchema: JsonSchema }): void => {
    if (typeof jsonSchema['format'] === 'string') delete jsonSchema['pattern'];
    // `z.int()` says "a safe integer" with both bounds: true of every count here, and no help to a reader.
    if (jsonSchema['minimum'] === Number.MIN_SAFE_INTEGER) delete jsonSchema['minimum'];
    if (jsonSchema['maximum'] === Number.MAX_SAFE_INTEGER) delete jsonSchema['maximum'];
    if (io === 'output' && jsonSchema['additionalProperties'] === false) delete jsonSchema['additionalProperties'];
  };

/** Schemas by name, each referring to the others as `#/components/schemas/{name}`. */
function generate(schemas: Record<string, z.ZodType>, io: 'input' | 'output'): Record<string, JsonSchema> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, { io, uri: (id) => `#/components/schemas/${id}`, override: tidy(io) });
  // `$id` may not carry a fragment (JSON Schema 2020-12 §8.2.1), and the dialect is the document's.
  return Object.fromEntries(
    Object.entries(generated.schemas).map(([id, schema]) => {
      const { $schema: _dialect, $id: _id, ...rest } = schema as JsonSchema;
      return [id, rest];
    }),
  );
}

export const componentSchemas: Record<SchemaName, JsonSchema> = {
  ...(generate(responses, 'output') as Record<keyof typeof responses, JsonSchema>),
  ...(generate(requests, 'input') as Record<keyof typeof requests, JsonSchema>),
};
