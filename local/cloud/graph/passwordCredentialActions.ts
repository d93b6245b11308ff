import { Duration } from 'luxon';
import { z } from 'zod';
import { addYears } from '../state/credentials.js';
import { indexOf, type DirectoryObject } from './directoryCollections.js';
import type { DirectoryCollection, GraphCall, ObjectKey } from './graphCall.js';
import { isOwner, writeAccess } from './graphPermissions.js';
import { governingRestrictions } from './appManagementPolicies.js';
import { forbidden, graphEmpty, graphError, graphJson, resourceNotFound } from './graphResponses.js';

const addPasswordBody = z.object({
  passwordCredential: z
    .object({ displayName: z.string().nullish(), startDateTime: z.string().nullish(), endDateTime: z.string().nullish() })
    .nullish(),
});
const removePasswordBody = z.object({ keyId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i) });

type Target = { ok: true; object: DirectoryObject } | { ok: false; response: Response };

/**
 * The object a credential action targets, if the caller may change it: Application.ReadWrite.All on any
 * object, Application.ReadWrite.OwnedBy only on objects it owns (Graph permission includes).
 */
function findTarget(call: GraphCall, collection: DirectoryCollection, key: ObjectKey): Target {
  const access = writeAccess(call.caller);
  if (access === 'none') return { ok: false, response: forbidden(call.ids) };
  const object = indexOf(call.tenant, collection).find(key);
  if (!object) return { ok: false, response: resourceNotFound(call.ids, key.value) };
  if (access === 'ownedBy' && !isOwner(call.ctx.store, call.tenant, call.caller, object.ownerIds))
    return { ok: false, response: forbidden(call.ids) };
  return { ok: true, object };
}

/**
 * `POST …/addPassword`: a new secret, shown once (`secretText`). Start defaults to now and end to
 * "startDateTime + 2 years" (application-addpassword), calendar years rather than 730 days.
 */
export async function addPassword(call: GraphCall, collection: DirectoryCollection, key: ObjectKey): Promise<Response> {
  const target = findTarget(call, collection, key);
  if (!target.ok) return target.response;
  const read = await call.readBody();
  const parsed = read.ok ? addPasswordBody.safeParse(read.value ?? {}) : undefined;
  if (!parsed?.success) return invalidBody(call);
  const input = parsed.data.passwordCredential ?? {};
  const start = input.startDateTime ? new Date(input.startDateTime) : call.ctx.store.now();
  const end = input.endDateTime ? new Date(input.endDateTime) : addYears(start, 2);
  if (Number.isNaN(start.getTime())) return invalidProperty(call, 'startDateTime');
  if (Number.isNaN(end.getTime()) || end <= start) return invalidProperty(call, 'endDateTime');
  const refused = policyRefusal(call, target.object, start, end);
  if (refused) return refused;
  const { record, secretText } = call.ctx.store.directory.addPassword(call.tenant, target.object, {
    start,
    end,
    displayName: input.displayName ?? null,
  });
  return graphJson(call.ids, 200, {
    '@odata.context': `${call.origin}/v1.0/$metadata#microsoft.graph.passwordCredential`,
    customKeyIdentifier: null,
    displayName: record.displayName,
    endDateTime: record.endDateTime,
    hint: record.hint,
    keyId: record.keyId,
    secretText,
    startDateTime: record.startDateTime,
  });
}

/** `POST …/removePassword` with `{"keyId"}`: 204; a key id the object does not have is a 400. */
export async function removePassword(call: GraphCall, collection: DirectoryCollection, key: ObjectKey): Promise<Response> {
  const target = findTarget(call, collection, key);
  if (!target.ok) return target.response;
  const read = await call.readBody();
  const parsed = read.ok ? removePasswordBody.safeParse(read.value) : undefined;
  if (!parsed?.success) return invalidBody(call);
  const { keyId } = parsed.data;
  // The message is the one real Graph gives (seen in client code that matches on it); the code is our best knowledge.
  if (!call.ctx.store.directory.removePassword(call.tenant, target.object, keyId))
    return graphError(call.ids, 400, 'Request_BadRequest', `No password credential found with keyId ${keyId}.`);
  return graphEmpty(call.ids, 204);
}

/**
 * What an app management policy says to a new secret: `passwordAddition` blocks it, `passwordLifetime`
 * caps its lifetime. The codes are the ones Graph sends (CredentialTypeNotAllowedAsPerAppPolicy,
 * CredentialInvalidLifetimeAsPerAppPolicy, as tools that meet them match on); the messages Graph's
 * wording as reported against those tools.
 */
function policyRefusal(call: GraphCall, object: DirectoryObject, start: Date, end: Date): Response | undefined {
  const governing = governingRestrictions(call.tenant, object);
  if (!governing) return undefined;
  const { policyId, restrictions } = governing;
  if (restrictions.passwordCredentials.some((r) => r.restrictionType === 'passwordAddition'))
    return graphError(
      call.ids,
      400,
      'CredentialTypeNotAllowedAsPerAppPolicy',
      `Password addition is not allowed as per assigned policy ${policyId}.`,
    );
  const lifetime = restrictions.passwordCredentials.find((r) => r.restrictionType === 'passwordLifetime' && r.maxLifetime);
  const maxMs = lifetime?.maxLifetime ? Duration.fromISO(lifetime.maxLifetime).toMillis() : undefined;
  if (maxMs !== undefined && end.getTime() - start.getTime() > maxMs)
    return graphError(
      call.ids,
      400,
      'CredentialInvalidLifetimeAsPerAppPolicy',
      `Credential lifetime exceeds the max value allowed as per assigned policy ${policyId}.`,
    );
  return undefined;
}

function invalidBody(call: GraphCall): Response {
  return graphError(
    call.ids,
    400,
    'BadRequest',
    'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.',
  );
}

function invalidProperty(call: GraphCall, property: string): Response {
  return graphError(
    call.ids,
    400,
    'Request_BadRequest',
    `Invalid value specified for property '${property}' of resource 'PasswordCredential'.`,
  );
}
