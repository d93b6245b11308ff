import type { ClassifiedFailure } from './classifyTokenError.js';
import { toCertificateFacts, toClientSecretFacts, type ConnectionCredentialFacts } from './ConnectionCredentialFacts.js';
import type { Connection } from './Connection.js';
import type { ReadCertificate } from './createCertificateCache.js';
import { readCertificatePem } from './readCertificatePem.js';
import type { StoredSecret, ClientCredential } from './TokenPorts.js';
import { toRemediation } from './toRemediation.js';

/**
 * The credential's value as the token endpoint needs it, and its facts (never the value). A certificate
 * secret that holds no usable PEM is the app credential's problem, named, before any request is sent.
 * `readCertificate` may keep what it read per secret version (createCertificateCache).
 */
export function loadCredential(
  connection: Connection,
  stored: StoredSecret,
  readCertificate: ReadCertificate = (secret) => readCertificatePem(secret.value),
): { credential: ClientCredential; facts: ConnectionCredentialFacts } | { failure: ClassifiedFailure } {
  const { value, ...properties } = stored;
  if (connection.credential.kind === 'clientSecret')
    return { credential: { kind: 'clientSecret', secret: value }, facts: toClientSecretFacts(properties) };
  const certificate = readCertificate(stored);
  if ('problem' in certificate) {
    const cause = `the certificate in ${connection.credential.secretName} ${certificate.problem}`;
    return {
      failure: {
        failureClass: 'clientCredentialProblem',
        code: 'Certificate:Unreadable',
        cause,
        ...toRemediation('clientCredentialProblem', connection, cause),
        correlationId: undefined,
        retryAfterMs: undefined,
      },
    };
  }
  return {
    credential: { kind: 'certificate', certificate },
    facts: toCertificateFacts(properties, connection.clientId, certificate.endDateTime),
  };
}
