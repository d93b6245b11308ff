import { createHash } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { z } from 'zod';
import { cloudNames } from '../../cloud/cloudEndpoints.js';
import type { StoredFlow } from '../../signIn/SignInLink.js';
import type { SignInStore } from '../../signIn/SignInPorts.js';
import { statusOf } from '../azure/isTransientStatus.js';
import { ensureTable, odataString } from './ensureTable.js';
import { parseStored } from './parseStored.js';
import { readEntity, writeIfUnchanged } from './readEntity.js';

/** Pages of 100 rows per partition one sweep deletes at most. */
const SWEEP_PAGES = 10;

const partitions = { link: 'link', flow: 'flow', retired: 'retired' } as const;

const ref = z.object({ vaultUrl: z.string(), name: z.string() });
const targetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('reconnect'), ref }),
  z.object({
    kind: z.literal('connect'),
    connection: ref.extend({
      tenant: z.string(),
      cloud: z.enum(cloudNames),
      clientId: z.string(),
      clientSecretName: z.string().optional(),
      clientCertificateName: z.string().optional(),
      scopes: z.array(z.string()),
      owner: z.string(),
      team: z.string().optional(),
      downstream: z.string().optional(),
    }),
  }),
]);
const linkRow = z
  .object({
    target: z.string().transform((text, ctx) => {
      const target = parseStored(targetSchema, text);
      if (target) return target;
      ctx.addIssue({ code: 'custom', message: 'target does not parse' });
      return z.NEVER;
    }),
    purpose: z.enum(['alert', 'statusPage', 'api', 'connect']),
    createdAt: z.string(),
    expiresAt: z.string(),
  })
  .and(
    z.discriminatedUnion('status', [z.object({ status: z.literal('open') }), z.object({ status: z.literal('used'), usedAt: z.string() })]),
  );
const flowRow = z.object({
  linkHash: z.string(),
  codeVerifier: z.string(),
  nonce: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
});

/**
 * Sign-in links and started sign-ins in the `VigilSignIns` table. Links are keyed by the SHA-256 of their
 * secret (the secret itself is never stored); a flow row holds the PKCE verifier and nonce of one
 * started sign-in for its few minutes, and is deleted when its answer arrives (conditional on its ETag,
 * so one answer is handled once). Rows are parsed with zod, not trusted.
 */
export function createSignInTable(table: TableClient): SignInStore {
  const ready = ensureTable(table);
  const get = async (partition: string, row: string) => {
    await ready();
    return readEntity<Record<string, unknown>>(table, partition, row);
  };
  const conditional = writeIfUnchanged;
  return {
    async saveLink(hash, link) {
      await ready();
      await createOnce(() =>
        table.createEntity({ partitionKey: partitions.link, rowKey: hash, ...link, target: JSON.stringify(link.target) }),
      );
    },
    async readLink(hash) {
      const row = await get(partitions.link, hash);
      if (!row) return undefined;
      const parsed = linkRow.safeParse(row);
      if (!parsed.success) throw new Error(`VigilSignIns link row ${hash.slice(0, 12)} does not parse: ${parsed.error.message}`);
      return { link: parsed.data, etag: row.etag };
    },
    markUsed: (hash, etag, usedAt) =>
      conditional(() => table.updateEntity({ partitionKey: partitions.link, rowKey: hash, status: 'used', usedAt }, 'Merge', { etag })),
    async linksValidFrom(targetKey) {
      const row = await get(partitions.retired, keyOf(targetKey));
      return typeof row?.['validFrom'] === 'string' ? row['validFrom'] : undefined;
    },
    async retireLinks(targetKey, from) {
      await ready();
      await table.upsertEntity({ partitionKey: partitions.retired, rowKey: keyOf(targetKey), validFrom: from }, 'Replace');
    },
    async saveFlow(stateHash, flow) {
      await ready();
      await createOnce(() => table.createEntity({ partitionKey: partitions.flow, rowKey: stateHash, ...flow }));
    },
    async takeFlow(stateHash) {
      const row = await get(partitions.flow, stateHash);
      if (!row) return undefined;
      const taken = await conditional(() => table.deleteEntity(partitions.flow, stateHash, { etag: row.etag }));
      const parsed = flowRow.safeParse(row);
      return taken && parsed.success ? (parsed.data satisfies StoredFlow) : undefined;
    },
    async sweep(now) {
      await ready();
      // Abandoned sign-ins keep a PKCE verifier: drop them once expired. Links stay 30 days past expiry, so
      // a late click still hears why it is refused rather than "unknown".
      const linkCutoff = new Date(Date.parse(now) - 30 * 86_400_000).toISOString();
      let swept = 0;
      for (const [partition, cutoff] of [
        [partitions.flow, now],
        [partitions.link, linkCutoff],
      ] as const) {
        const filter = `PartitionKey eq ${odataString(partition)} and expiresAt lt ${odataString(cutoff)}`;
        const pages = table.listEntities({ queryOptions: { filter, select: ['RowKey'] } }).byPage({ maxPageSize: 100 });
        // Bounded per run (the timer runs hourly): what is left waits for the next run.
        for (let page = 0; page < SWEEP_PAGES; page++) {
          const next = await pages.next();
          if (next.done) break;
          for (const row of next.value as Array<{ rowKey?: string; etag: string }>)
            if (row.rowKey && (await conditional(() => table.deleteEntity(partition, row.rowKey!, { etag: row.etag })))) swept++;
        }
      }
      return swept;
    },
  };
}

/**
 * Creates a row keyed by the hash of a fresh random secret. A 409 can then only mean the SDK sent the
 * create again after its first answer was lost: the row is ours.
 */
async function createOnce(create: () => Promise<unknown>): Promise<void> {
  try {
    await create();
  } catch (error) {
    if (statusOf(error) !== 409) throw error;
  }
}

/** Table keys may not hold `/`: the connection's key is hashed. */
const keyOf = (targetKey: string) => createHash('sha256').update(targetKey).digest('hex');
