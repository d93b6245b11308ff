import { z } from 'zod';
import { adviceSchema, hygieneItemSchema, impactSchema, usageSchema } from '../intelligence/intelligenceSchemas.js';
import { instantSchema } from './instantSchema.js';
import { credentialTypes, findingStatuses } from '../scanner/Finding.js';

/**
 * Vigil's one event model, shared by every producer (token keeper, expiry scanner, rotation) and every
 * channel (mail, Teams, webhooks). Versioned: a breaking change bumps `schemaVersion`. Documented in
 * docs/events.md with a JSON Schema generated from these definitions. No event ever carries a token,
 * secret value or signing key: only names, ids, dates and codes.
 */
export const EVENT_SCHEMA_VERSION = '1.0';

export const severities = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof severities)[number];

const subjectSchema = z.object({
  /** What the event is about. */
  kind: z.enum(['application', 'servicePrincipal', 'connection', 'vaultSecret', 'vault', 'tenant', 'rotation', 'channel', 'queue']),
  /** Object id, connection name or other stable id of the subject. */
  id: z.string(),
  displayName: z.string(),
  appId: z.string().optional(),
});

/** Hints that routing rules match on, from tags or the tenant's defaults. */
const routingSchema = z.object({
  owner: z.string().optional(),
  team: z.string().optional(),
  downstream: z.string().optional(),
  tags: z.record(z.string(), z.string()).default({}),
});

const base = {
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
  /** Unique per emission. */
  id: z.string(),
  /** RFC 3339 UTC time the producer observed the situation. */
  time: instantSchema,
  tenantId: z.string(),
  subject: subjectSchema,
  severity: z.enum(severities),
  /** One sentence for a person: what happens to whom. */
  summary: z.string(),
  /** What breaks if nobody acts (empty for good news). */
  impact: z.string().default(''),
  /** What to do, concretely. */
  fix: z.string().default(''),
  /**
   * Identifies the situation, not the emission: the same (type, tenant, object, key id, threshold) gives
   * the same key, so channels deliver it once per route.
   */
  dedupeKey: z.string(),
  routing: routingSchema.default({ tags: {} }),
  links: z
    .object({
      portal: z.string().url().optional(),
      runbook: z.string().url().optional(),
      // No sign-in link: the event log and webhooks would hold a live one. Mail, Teams and Slack mint
      // their own as they are sent (docs/tokens.md "Connect and reconnect"); an old row's `reconnect` is dropped here.
    })
    .default({}),
};

const credentialSchema = z.object({
  keyId: z.string(),
  /** password = client secret; certificate = key credential; samlSigning = SAML token signing certificate. */
  credentialType: z.enum(credentialTypes),
  displayName: z.string().nullable(),
  endDateTime: instantSchema,
  /** Whole days left (at least 1) while valid; whole days since the end (at most -1) once expired. Never 0. */
  daysLeft: z.number().int(),
  /** The threshold of the ladder that was crossed, in days; 0 for expired. */
  threshold: z.number().int(),
  /** Whether a newer credential of the same object took over: one still valid that outlives it, or for an expired credential one that ended after it. */
  overlap: z.boolean(),
  /** Key Vault secret that holds a copy of this credential, when one is linked by tags. */
  vaultCopy: z.object({ vaultUrl: z.string(), secretName: z.string(), stale: z.boolean() }).optional(),
  /** When it was last used to sign in (Entra's usage report), or why that is unknown; absent for SAML and vault secrets. */
  usage: usageSchema.optional(),
  /** The one recommended path, with its reason and portal link (client secrets and certificates of apps). */
  advice: adviceSchema.optional(),
  /** What breaks with it: token connections that sign in with it, its Key Vault copies, the app's owners. */
  impact: impactSchema.optional(),
  /** What an auditor would raise about it, each with its reason (to tidy up; never "needs action" alone). */
  hygiene: z.array(hygieneItemSchema).optional(),
});

/** The scanner's finding a token refresh failure belongs to: the expired or invalid client secret it signs in with. */
export const linkedFindingSchema = z.object({
  /** The finding's id (`f-…`), as notifications show it and the snooze API takes it. */
  findingId: z.string(),
  tenantId: z.string(),
  objectId: z.string(),
  keyId: z.string(),
  /** The app the secret belongs to. */
  subjectName: z.string(),
  endDateTime: instantSchema,
});

/** A count per severity. */
export const countsBySeveritySchema = z.object({
  info: z.number().int(),
  low: z.number().int(),
  medium: z.number().int(),
  high: z.number().int(),
  critical: z.number().int(),
});

export const refreshFailureClasses = [
  'revoked',
  'consentWithdrawn',
  'interactionRequired',
  'clientCredentialProblem',
  'appMissing',
  'configError',
  'transient',
  'unknown',
] as const;

/** What ends a connection first if nobody acts: its refresh token's 90 days, or the app credential it signs in with. */
export const lapseCauses = ['refreshToken', 'clientSecret', 'clientCertificate'] as const;
export type LapseCause = (typeof lapseCauses)[number];

export const vigilEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('token.refreshed'),
    data: z.object({
      connection: z.string(),
      vaultUrl: z.string(),
      wroteBack: z.boolean(),
      /** When the connection stops if nobody acts: the refresh token's lapse, or its client secret's or certificate's end if sooner. */
      expectedLapse: instantSchema,
      /** Which of them `expectedLapse` is (absent in events from before Vigil read client secret ends). */
      lapseCause: z.enum(lapseCauses).optional(),
      scopes: z.array(z.string()),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('token.refresh_failed'),
    data: z.object({
      connection: z.string(),
      vaultUrl: z.string(),
      failureClass: z.enum(refreshFailureClasses),
      /** AADSTS code, HTTP status or error name; never a message that could quote a token. */
      code: z.string(),
      correlationId: z.string().optional(),
      /** Who must act: the mailbox owner signs in again, an admin grants consent, … */
      whoMustAct: z.string(),
      consecutiveFailures: z.number().int(),
      /**
       * An expired or invalid client secret (AADSTS7000222, 7000215) that the scanner also reports: this
       * failure belongs to that finding, so a route hears of the problem once.
       */
      linkedFinding: linkedFindingSchema.optional(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('token.recovered'),
    data: z.object({ connection: z.string(), vaultUrl: z.string(), failedSince: instantSchema }),
  }),
  z.object({
    ...base,
    type: z.literal('token.connected'),
    /** `check`: how the first refresh of the stored token went (`healthy`, `failing <class> (<code>)`, `notChecked`). */
    data: z.object({
      connection: z.string(),
      vaultUrl: z.string(),
      mode: z.enum(['connect', 'reconnect']),
      owner: z.string(),
      scopes: z.array(z.string()),
      vaultSecretVersion: z.string(),
      check: z.string(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('token.sign_in_refused'),
    /** `reason`: wrongUser, consentDenied, entraError, expired, used, … (docs/tokens.md); `signedInAs` names who signed in instead. */
    data: z.object({
      connection: z.string(),
      vaultUrl: z.string(),
      reason: z.string(),
      code: z.string().optional(),
      signedInAs: z.string().optional(),
      linkId: z.string().optional(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('token.misconfigured'),
    data: z.object({ connection: z.string(), vaultUrl: z.string(), problems: z.array(z.string()) }),
  }),
  z.object({
    ...base,
    type: z.literal('token.removed'),
    /** `status`: what the connection was (failing or misconfigured) when its secret was deleted. */
    data: z.object({ connection: z.string(), vaultUrl: z.string(), status: z.enum(['failing', 'misconfigured']) }),
  }),
  z.object({ ...base, type: z.literal('credential.expiring'), data: credentialSchema }),
  z.object({ ...base, type: z.literal('credential.expired'), data: credentialSchema }),
  z.object({ ...base, type: z.literal('credential.stale'), data: credentialSchema }),
  /** Off the expiry ladder, with hygiene items an auditor would raise: listed to tidy up, never as needing action. */
  z.object({ ...base, type: z.literal('credential.hygiene'), data: credentialSchema }),
  z.object({
    ...base,
    type: z.literal('credential.rotated'),
    /** `vaultSecretVersion`: the Key Vault version that holds the new secret (a reference, never the value). */
    data: credentialSchema.extend({ replacedBy: z.string().optional(), vaultSecretVersion: z.string().optional() }),
  }),
  z.object({
    ...base,
    type: z.literal('credential.removed'),
    /** `status`: what the finding was when it closed; `objectDeleted`: the whole app or service principal went, not just the credential. */
    data: credentialSchema.extend({ status: z.enum(findingStatuses), objectDeleted: z.boolean() }),
  }),
  z.object({
    ...base,
    type: z.literal('scan.failed'),
    data: z.object({ reason: z.string(), missingPermission: z.string().optional(), since: instantSchema }),
  }),
  z.object({ ...base, type: z.literal('scan.recovered'), data: z.object({ failedSince: instantSchema }) }),
  z.object({
    ...base,
    type: z.literal('vault.failed'),
    /** `code`: Key Vault's error code or status; `missingRole`: the role to grant when Key Vault refused. */
    data: z.object({
      vaultUrl: z.string(),
      reason: z.string(),
      code: z.string(),
      missingRole: z.string().optional(),
      since: instantSchema,
      consecutiveFailures: z.number().int(),
    }),
  }),
  z.object({ ...base, type: z.literal('vault.recovered'), data: z.object({ vaultUrl: z.string(), failedSince: instantSchema }) }),
  z.object({
    ...base,
    type: z.literal('scan.baseline'),
    /**
     * A tenant's first scan found more findings that can wait than it announces one by one: those are
     * counted here (`later`), with the most urgent few, instead of one event each. Findings that need
     * action now (critical, high) still come as their own events; `list` is the findings API query for all.
     */
    data: z.object({
      applications: z.number().int(),
      servicePrincipals: z.number().int(),
      findings: z.number().int(),
      announced: z.number().int(),
      later: z.object({
        count: z.number().int(),
        bySeverity: countsBySeveritySchema,
        byStatus: z.object({ expiring: z.number().int(), expired: z.number().int(), stale: z.number().int() }),
      }),
      mostUrgent: z.array(
        z.object({
          findingId: z.string(),
          subject: subjectSchema,
          keyId: z.string(),
          credentialType: credentialSchema.shape.credentialType,
          displayName: z.string().nullable(),
          endDateTime: instantSchema,
          daysLeft: z.number().int(),
          status: z.enum(['expiring', 'expired', 'stale']),
          severity: z.enum(severities),
        }),
      ),
      list: z.string(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('scan.completed'),
    data: z.object({
      applications: z.number().int(),
      servicePrincipals: z.number().int(),
      findings: z.number().int(),
      durationMs: z.number(),
      mode: z.enum(['full', 'delta']),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('rotation.completed'),
    data: z.object({
      rotationId: z.string(),
      newKeyId: z.string(),
      vaultSecretVersion: z.string().optional(),
      retiresOldAt: instantSchema.optional(),
    }),
  }),
  z.object({
    ...base,
    type: z.literal('rotation.failed'),
    data: z.object({ rotationId: z.string(), step: z.string(), reason: z.string() }),
  }),
  z.object({
    ...base,
    type: z.literal('rotation.retire_deferred'),
    /**
     * The old secret is still used to sign in after the grace period: Vigil keeps it and checks again at
     * `nextCheckAt`. Who is still on it: `resource`, what the last sign-in was for, and `holders`, the Key
     * Vault copies (and the token connections using them) that still hold the old secret.
     */
    data: z.object({
      rotationId: z.string(),
      oldKeyId: z.string(),
      lastSignIn: instantSchema,
      resource: z.string().optional(),
      holders: z.array(z.string()),
      nextCheckAt: instantSchema,
    }),
  }),
  z.object({
    ...base,
    type: z.literal('delivery.failed'),
    data: z.object({ channel: z.string(), route: z.string(), attempts: z.number().int(), reason: z.string(), disabled: z.boolean() }),
  }),
  z.object({
    ...base,
    type: z.literal('delivery.recovered'),
    /** `failedSince`: when the default route was first told the channel was failing. */
    data: z.object({ channel: z.string(), route: z.string(), failedSince: instantSchema }),
  }),
  z.object({
    ...base,
    type: z.literal('queue.poisoned'),
    data: z.object({
      /** The poison queue, e.g. `vigil-refresh-poison`. */
      queue: z.string(),
      /** Messages parked there since the last report. */
      parked: z.number().int(),
      /** Messages there now (approximate, as Storage counts them). */
      depth: z.number().int(),
      /** What the parked messages were about: connection names, tenant ids, rotation ids (at most 10). */
      subjects: z.array(z.string()),
    }),
  }),
]);

export type VigilEvent = z.output<typeof vigilEventSchema>;
export type VigilEventInput = z.input<typeof vigilEventSchema>;
export type VigilEventType = VigilEvent['type'];
export type EventOf<T extends VigilEventType> = Extract<VigilEvent, { type: T }>;
export type RefreshFailureClass = (typeof refreshFailureClasses)[number];
