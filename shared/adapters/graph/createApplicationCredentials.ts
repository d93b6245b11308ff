import type { Client } from '@microsoft/microsoft-graph-client';
import type { ApplicationCredentials, ApplicationInfo, CallFailure } from '../../rotation/RotationPorts.js';
import type { PasswordCredentialInfo } from '../../rotation/Rotation.js';
import { describeError } from '../../helpers/describeError.js';
import { isTransientStatus, statusOf } from '../azure/isTransientStatus.js';
import { isVigilFault } from '../http/isVigilFault.js';
import type { VigilFaultLog } from '../http/createVigilFaultLog.js';
import { noClientRetries } from './createGraphClient.js';
import { isUnansweredGraphError } from './GraphUnansweredError.js';

interface GraphPasswordCredential {
  keyId: string;
  displayName: string | null;
  endDateTime: string;
  secretText?: string | null;
}

interface GraphApplication {
  id: string;
  appId: string;
  displayName: string;
  createdDateTime?: string | null;
  passwordCredentials?: GraphPasswordCredential[];
}

type Attempt<T> =
  | { ok: true; value: T }
  /** `unanswered`: sent, but no answer came (isUnansweredGraphError): what Graph did is unknown. */
  | { ok: false; status: number | undefined; code: string | undefined; unanswered: boolean; failure: CallFailure };

/**
 * Graph's refusals when an app management policy forbids the secret (codes as tools that meet them match on):
 * never worth retrying, and named so a person sees the policy, not an HTTP 400.
 */
const policyRefusals: Record<string, string> = {
  CredentialTypeNotAllowedAsPerAppPolicy: "the tenant's app management policy blocks new client secrets for this app",
  CredentialInvalidLifetimeAsPerAppPolicy: "the secret's lifetime exceeds what the tenant's app management policy allows",
};

function policyRefusal(failure: CallFailure, code: string | undefined): CallFailure | undefined {
  const words = code ? policyRefusals[code] : undefined;
  return words ? { kind: 'failed', reason: `Graph addPassword refused (${code}): ${words}`, transient: false } : undefined;
}

/**
 * Client secrets of app registrations through Graph (protocol-facts §3): read with the smallest
 * `$select`, `addPassword` (its response holds the only copy of the secret text) and `removePassword`.
 * `graphFor` gives the client for a tenant Vigil can write in, or nothing. A request Vigil could not make
 * (vigilFault) fails for good and leaves its class and stack frames, never its message, in Vigil's log
 * (`vigilFaultLog`: each distinct trace at most once an hour).
 */
export function createApplicationCredentials(
  graphFor: (tenantId: string) => Client | undefined,
  vigilFaultLog: VigilFaultLog,
): ApplicationCredentials {
  const attempt = async <T>(tenantId: string, what: string, action: (graph: Client) => Promise<T>): Promise<Attempt<T>> => {
    const graph = graphFor(tenantId);
    if (!graph)
      return {
        ok: false,
        status: undefined,
        code: undefined,
        unanswered: false,
        failure: { kind: 'failed', reason: `Vigil has no access to tenant ${tenantId}`, transient: false },
      };
    try {
      return { ok: true, value: await action(graph) };
    } catch (error) {
      const status = statusOf(error);
      const { code } = error as { code?: string | null };
      const reason = `Graph ${what}: ${describeError(error)}`;
      // A request Vigil could not make fails for good: no waiting mends it.
      const vigilFault = isVigilFault(error);
      if (vigilFault) vigilFaultLog(error, 'Graph request');
      return {
        ok: false,
        status,
        code: code ?? undefined,
        unanswered: isUnansweredGraphError(error),
        failure: { kind: 'failed', reason, transient: !vigilFault && isTransientStatus(status) },
      };
    }
  };
  return {
    async find(tenantId, ref) {
      const path =
        'appId' in ref ? `/applications(appId='${encodeURIComponent(ref.appId)}')` : `/applications/${encodeURIComponent(ref.objectId)}`;
      const read = await attempt(
        tenantId,
        'read application',
        async (graph) =>
          (await graph.api(path).select('id,appId,displayName,createdDateTime,passwordCredentials').get()) as GraphApplication,
      );
      if (read.ok) return { kind: 'found', application: toApplicationInfo(read.value) };
      return read.status === 404 ? { kind: 'notFound' } : read.failure;
    },
    async addPassword(tenantId, objectId, request) {
      // Sent once: the client's RetryHandler would send it again after a 503 or 504 (noClientRetries).
      const added = await attempt(
        tenantId,
        'addPassword',
        async (graph) =>
          (await graph
            .api(`/applications/${encodeURIComponent(objectId)}/addPassword`)
            .middlewareOptions([noClientRetries])
            .post({ passwordCredential: request })) as GraphPasswordCredential,
      );
      if (!added.ok) return addFailure(added);
      const { secretText, ...credential } = added.value;
      if (!secretText) return { kind: 'mayHaveAdded', reason: 'Graph added the secret, but its answer held no secretText' };
      return { kind: 'added', credential: toCredentialInfo(credential), secretText };
    },
    async removePassword(tenantId, objectId, keyId) {
      const removed = await attempt(tenantId, 'removePassword', (graph) =>
        graph.api(`/applications/${encodeURIComponent(objectId)}/removePassword`).post({ keyId }),
      );
      if (removed.ok) return { kind: 'removed' };
      // 400 "No password credential found with keyId …" (what real Graph says) or 404 (the app is gone): nothing left to remove.
      return removed.status === 400 || removed.status === 404 ? { kind: 'notFound' } : removed.failure;
    },
  };
}

/**
 * An addPassword that failed, told by whether Graph may have added the secret all the same. It may when no
 * answer came (unanswered), when a 2xx came whose body could not be read, and when Graph or a gateway answered a
 * 5xx: 502, 503 and 504 come from a front end for a back end that failed or took too long, which may have applied
 * the request first, and a 500 says the processing failed, not that it never began. A 503's Retry-After says when
 * to ask again, not that nothing was applied; the rotation waits on its own (its step's next try, which first
 * removes a secret with its marker that Key Vault does not hold). Taking a 5xx for "may have added" costs at most
 * a roll-back that finds nothing to remove.
 */
function addFailure(added: Extract<Attempt<unknown>, { ok: false }>) {
  const { status, code, failure } = added;
  // Said as describeError says a request without an answer ('the connection to Graph failed (ECONNRESET)', 'did not answer in time').
  if (added.unanswered) return { kind: 'mayHaveAdded' as const, reason: failure.reason };
  if (status !== undefined && status >= 200 && status < 300)
    return { kind: 'mayHaveAdded' as const, reason: `Graph added the secret, but its answer could not be read (HTTP ${status})` };
  if (status !== undefined && status >= 500) return { kind: 'mayHaveAdded' as const, reason: `Graph addPassword answered HTTP ${status}` };
  return policyRefusal(failure, code) ?? failure;
}

function toApplicationInfo(app: GraphApplication): ApplicationInfo {
  return {
    objectId: app.id,
    appId: app.appId,
    displayName: app.displayName,
    createdDateTime: app.createdDateTime ?? null,
    passwordCredentials: (app.passwordCredentials ?? []).map(toCredentialInfo),
  };
}

const toCredentialInfo = (c: GraphPasswordCredential): PasswordCredentialInfo => ({
  keyId: c.keyId,
  displayName: c.displayName ?? null,
  endDateTime: c.endDateTime,
});
