import type { Context } from 'hono';
import type { z } from 'zod';
import type { CloudStore } from '../state/CloudStore.js';
import type { HomedApplication } from '../state/Directory.js';
import type { UserRecord } from '../state/model.js';
import type { TenantDirectory } from '../state/TenantDirectory.js';

/** Thrown for admin requests that name something that does not exist; the admin app answers 404. */
export class NotFound extends Error {}

/** The request's JSON body checked against `schema` (a ZodError becomes a 400); an empty body reads as `{}`. */
export async function readBody<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  return schema.parse(await c.req.json().catch(() => ({})));
}

export function findTenant(store: CloudStore, ref: string): TenantDirectory {
  const tenant = store.directory.tenant(ref);
  if (!tenant) throw new NotFound(`no tenant ${ref}`);
  return tenant;
}

export function findUser(tenant: TenantDirectory, ref: string): UserRecord {
  const user = tenant.user(ref);
  if (!user) throw new NotFound(`no user ${ref} in ${tenant.id}`);
  return user;
}

/** An application by app id, object id or display name, in any tenant (people name apps by display name). */
export function findApplication(store: CloudStore, ref: string): HomedApplication {
  const { directory } = store;
  const byAppId = directory.application(ref);
  if (byAppId) return byAppId;
  for (const tenant of directory.tenants()) {
    const app =
      tenant.applications.find({ by: 'id', value: ref }) ?? tenant.applications.all().find((a) => !a.deleted && a.displayName === ref);
    if (app) return { tenant, app };
  }
  throw new NotFound(`no application ${ref}`);
}
