import { CONNECTION_KIND, connectionTagNames } from '../tokens/connectionTags.js';
import type { NewConnection } from './SignInLink.js';

/** The tags a new connection's secret is stored with: the token keeper's own vocabulary (docs/tokens.md "Tag schema"). */
export function toConnectionTags(connection: NewConnection): Record<string, string> {
  return {
    [connectionTagNames.kind]: CONNECTION_KIND,
    [connectionTagNames.tenant]: connection.tenant,
    [connectionTagNames.clientId]: connection.clientId,
    ...(connection.clientSecretName ? { [connectionTagNames.clientSecretName]: connection.clientSecretName } : {}),
    ...(connection.clientCertificateName ? { [connectionTagNames.clientCertificateName]: connection.clientCertificateName } : {}),
    [connectionTagNames.scopes]: connection.scopes.join(' '),
    [connectionTagNames.cloud]: connection.cloud,
    [connectionTagNames.owner]: connection.owner,
    ...(connection.team ? { [connectionTagNames.team]: connection.team } : {}),
    ...(connection.downstream ? { [connectionTagNames.downstream]: connection.downstream } : {}),
  };
}
