import { DateTime } from 'luxon';
import { z } from 'zod';
import { instantSchema } from '../events/instantSchema.js';
import { nextLinkSchema } from '../paging/nextLinkSchema.js';
import { lapseCauses, refreshFailureClasses } from '../events/vigilEvent.js';
import type { ClientCredentialKind } from './Connection.js';
import { expectedLapseOf, type LinkedFinding } from './ConnectionCredentialFacts.js';
import { linkedFindingOf, type ConnectionState } from './ConnectionState.js';
import type { RefreshPolicy } from './RefreshPolicy.js';
import { toIsoUtc } from '../helpers/toIsoUtc.js';

const connectionStatuses = ['healthy', 'failing', 'misconfigured'] as const satisfies readonly ConnectionState['status'][];

/** What the HTTP API and the local summary show about a connection: state and the next step, never a secret. */
export const connectionViewSchema = z
  .object({
    name: z.string().describe('The Key Vault secret that holds the refresh token.'),
    vaultUrl: z.string(),
    status: z.enum(connectionStatuses),
    failureClass: z.enum(refreshFailureClasses).nullable(),
    lastSuccess: instantSchema.nullable(),
    lastAttempt: instantSchema.nullable(),
    consecutiveFailures: z.int(),
    lastErrorCode: z.string().nullable().describe('AADSTS code, HTTP status or error name.'),
    correlationId: z.string().nullable(),
    expectedLapse: instantSchema
      .nullable()
      .describe(
        "When it stops if nobody acts: the refresh token's lapse, or its client secret's or certificate's end if that comes first.",
      ),
    expectedLapseCause: z.enum(lapseCauses).nullable(),
    credentialKind: z
      .enum(['clientSecret', 'certificate'] as const satisfies readonly ClientCredentialKind[])
      .describe('How the app signs in at the token endpoint: a client secret, or a certificate (private_key_jwt).'),
    clientSecret: z
      .object({
        name: z.string().describe('The vault secret holding the client secret the refresh signs in with.'),
        keyId: z.string().nullable(),
        endDateTime: instantSchema.nullable(),
        findingId: z
          .string()
          .nullable()
          .describe("The scanner's finding on that secret, so the connection and the finding point at each other."),
      })
      .nullable()
      .describe('Null for a certificate connection.'),
    clientCertificate: z
      .object({
        name: z.string().describe('The vault secret holding the certificate and its key (PEM).'),
        endDateTime: instantSchema.nullable(),
      })
      .nullable()
      .describe('Null for a client secret connection.'),
    grantedScopes: z.string().nullable(),
    lastWriteBack: instantSchema.nullable(),
    owner: z.string().nullable(),
    team: z.string().nullable(),
    downstream: z.string().nullable(),
    whoMustAct: z.string().nullable(),
    problems: z.array(z.string()),
    nextAction: z.string().describe('What happens next, and whether a person is needed.'),
  })
  .meta({ id: 'Connection', description: 'A delegated token connection: its state and the next step; never a token or secret.' });
export type ConnectionView = z.output<typeof connectionViewSchema>;

/**
 * `secretFinding` looks up the scanner's finding on an app's client secret (by the copy's key id), when
 * the caller has the findings at hand; while a refresh fails on that secret, the state names it anyway.
 */
export function toConnectionView(
  state: ConnectionState,
  policy: RefreshPolicy,
  secretFinding: (appId: string, keyId: string | null) => LinkedFinding | undefined = () => undefined,
): ConnectionView {
  const secret = state.clientSecret;
  const finding = linkedFindingOf(state) ?? (secret?.appId ? secretFinding(secret.appId, secret.keyId) : undefined);
  const lapse = expectedLapseOf(state.expectedLapse, secret?.endDateTime ?? finding?.endDateTime, secret?.kind);
  const certificate = secret?.kind === 'certificate';
  return {
    name: state.name,
    vaultUrl: state.vaultUrl,
    status: state.status,
    failureClass: state.status === 'failing' ? state.failureClass : null,
    lastSuccess: state.lastSuccess ?? null,
    lastAttempt: state.lastAttempt ?? null,
    consecutiveFailures: state.consecutiveFailures,
    lastErrorCode: state.status === 'failing' ? state.lastErrorCode : null,
    correlationId: (state.status === 'failing' ? state.correlationId : undefined) ?? null,
    expectedLapse: lapse?.at ?? null,
    expectedLapseCause: lapse?.cause ?? null,
    credentialKind: secret?.kind ?? 'clientSecret',
    clientSecret:
      secret && !certificate
        ? {
            name: secret.name,
            keyId: secret.keyId,
            endDateTime: secret.endDateTime ?? finding?.endDateTime ?? null,
            findingId: finding?.findingId ?? null,
          }
        : null,
    clientCertificate: secret && certificate ? { name: secret.name, endDateTime: secret.endDateTime } : null,
    grantedScopes: state.grantedScopes ?? null,
    lastWriteBack: state.lastWriteBack ?? null,
    owner: state.owner ?? null,
    team: state.team ?? null,
    downstream: state.downstream ?? null,
    whoMustAct: state.status === 'failing' ? state.whoMustAct : null,
    problems: state.status === 'misconfigured' ? state.problems : [],
    nextAction: describeNextAction(state, policy),
  };
}

/** One line on what happens next, and whether a person is needed. */
export function describeNextAction(state: ConnectionState, policy: RefreshPolicy): string {
  const day = (iso: string | undefined) => (iso ? DateTime.fromISO(iso, { zone: 'utc' }).toFormat("yyyy-MM-dd HH:mm 'UTC'") : '?');
  switch (state.status) {
    case 'misconfigured':
      return `fix the secret's tags: ${state.problems.join('; ')}`;
    case 'failing':
      if (state.failureClass === 'transient')
        return `Vigil retries after ${day(state.nextAttemptAt)}${state.alertedClass ? ' (alert raised)' : ''}`;
      return `${state.whoMustAct}; Vigil probes again after ${day(state.nextAttemptAt)} or when a new token is stored`;
    case 'healthy': {
      const writeBack = state.tokenCreatedOn
        ? toIsoUtc(DateTime.fromISO(state.tokenCreatedOn, { zone: 'utc' }).plus(policy.writeBackAge))
        : undefined;
      return `probe after ${day(state.nextAttemptAt)}; rotated token stored from ${day(writeBack)}`;
    }
  }
}

/** A page of `GET /api/connections`, by vault and name (Azure REST API guidelines: `value`, `nextLink`). */
export const connectionsPageSchema = z
  .object({ value: z.array(connectionViewSchema), nextLink: nextLinkSchema.optional() })
  .meta({ id: 'ConnectionsPage' });
export type ConnectionsPage = z.output<typeof connectionsPageSchema>;

/** What `POST /api/connections/{name}/refresh` answers: how the attempt went, and the state after it. */
export const refreshResultSchema = z
  .object({
    outcome: z.enum(['refreshed', 'failed', 'misconfigured']),
    warnings: z.array(z.string()),
    connection: connectionViewSchema,
  })
  .meta({ id: 'RefreshResult' });
export type RefreshResult = z.output<typeof refreshResultSchema>;
