import { credentialFindingKey, findingIdOf } from '../notifications/findingOf.js';
import type { Finding } from '../scanner/Finding.js';
import type { ClientSecretFindings, LinkedFinding } from '../tokens/ConnectionCredentialFacts.js';

/**
 * The scanner's finding on a connection's client secret: the key the copy names, else (a copy tagged with
 * the app alone, or not at all) the app's one client secret that has ended by `nowMs` (by its date: the
 * last scan may have seen it while it was still expiring).
 */
function pickClientSecretFinding(findings: readonly Finding[], appId: string, keyId: string | null, nowMs: number): Finding | undefined {
  const ofApp = findings.filter(
    (f) => f.credentialType === 'password' && f.subjectKind === 'application' && f.appId?.toLowerCase() === appId.toLowerCase(),
  );
  if (keyId) return ofApp.find((f) => f.keyId.toLowerCase() === keyId.toLowerCase());
  const expired = ofApp.filter((f) => Date.parse(f.endDateTime) <= nowMs);
  return expired.length === 1 ? expired[0] : undefined;
}

/** The same, as the link a connection keeps to it. */
export function linkedFindingIn(
  findings: readonly Finding[],
  appId: string,
  keyId: string | null,
  nowMs: number,
): LinkedFinding | undefined {
  const found = pickClientSecretFinding(findings, appId, keyId, nowMs);
  return found ? toLinkedFinding(found) : undefined;
}

/** Where the scanner's findings on an app's client secrets are read from, by app id (one partition). */
export interface FindingsOfApp {
  ofApp(appId: string): Promise<Finding[]>;
}

/** The token side's view of the scanner's findings, read when a refresh fails on its client secret (rare). */
export function clientSecretFindingsOf(findings: FindingsOfApp): ClientSecretFindings {
  return { find: async (appId, keyId, nowMs) => linkedFindingIn(await findings.ofApp(appId), appId, keyId, nowMs) };
}

function toLinkedFinding(f: Finding): LinkedFinding {
  return {
    // The failure joins the credential's lapse finding, whatever the scan last called the credential.
    findingId: findingIdOf(credentialFindingKey(f.tenantId, f.objectId, f.keyId)),
    tenantId: f.tenantId,
    objectId: f.objectId,
    keyId: f.keyId,
    subjectName: f.subjectName,
    endDateTime: f.endDateTime,
    status: f.status,
  };
}
