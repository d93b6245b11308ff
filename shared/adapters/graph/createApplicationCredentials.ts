import type { Client } from '@microsoft/microsoft-graph-client';
import type { ApplicationCredentials, ApplicationInfo, CallFailure } from '../../rotation/RotationPorts.js';
import type { PasswordCredentialInfo } from '../../rotation/Rotation.js';
import { describeError } from '../../helpers/describeError.js';
import { isTransientStatus, statusOf } from '../azure/isTransientStatus.js';
import { isVigilFault, vigilFaultTrace } from './isVigilFault.js';

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
  /** `unanswered`: sent, but no answer came (its connection failed, or the deadline passed): what Graph did is unknown. */
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
 * (vigilFault) fails for good and leaves its class and stack frames, never its message, in `warn` (Vigil's log).
 */
export function createApplicationCredentials(
  graphFor: (tenantId: string) => Client | undefined,
  warn: (line: string) => void = () => undefined,
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
      const vigilFault = isVigilFault(error);
      if (vigilFault) warn(`Graph request Vigil could not make (vigilFault): ${vigilFaultTrace(error)}`);
      const { code } = error as { code?: string | null };
      return {
        ok: false,
        status,
        code: code ?? undefined,
        unanswered: !vigilFault && (status === undefined || status <= 0),
        failure: {
          kind: 'failed',
          reason: `Graph ${what}: ${describeError(error)}`,
          transient: isTransientStatus(status) && !vigilFault,
        },
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
      const added = await attempt(
        tenantId,
        'addPassword',
        async (graph) =>
          (await graph
            .api(`/applications/${encodeURIComponent(objectId)}/addPassword`)
            .post({ passwordCredential: request })) as GraphPasswordCredential,
      );
      if (!added.ok && added.unanswered)
        return { kind: 'noAnswer', reason: `Graph addPassword got no answer (${unansweredBecause(added.code)})` };
      if (!added.ok) return policyRefusal(added.failure, added.code) ?? added.failure;
      const { secretText, ...credential } = added.value;
      if (!secretText) return { kind: 'failed', reason: 'Graph addPassword returned no secretText', transient: false };
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

/** Why no answer came, from the Graph client's code (the name of the node sender's error): never its message. */
const unansweredBecause = (code: string | undefined): string =>
  code === 'AbortError' ? 'none within its deadline' : 'the connection failed';

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
