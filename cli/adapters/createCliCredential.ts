import {
  AzureCliCredential,
  DeviceCodeCredential,
  EnvironmentCredential,
  type TokenCredential,
  type TokenCredentialOptions,
} from '@azure/identity';
import type { AuthKind } from '../Command.js';
import { cloudEndpoints } from '../../shared/cloud/cloudEndpoints.js';

export interface CliCredential {
  credential: TokenCredential;
  /** How the CLI signs in, in words a person can act on when it fails or Vigil refuses the token. */
  description: string;
}

const knownAuthorities = new Set(Object.values(cloudEndpoints).map((c) => new URL(c.login).origin));
const ENV_DESCRIPTION = 'the environment (AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH)';

/**
 * The credential for `--auth`. `auto` takes the environment's app credentials when they are set (for
 * automation), else the Azure CLI's sign-in (for a person at a terminal): one of them, named, so a 401
 * says which identity Vigil refused. Instance discovery stays on for Microsoft's own authority hosts
 * and is off for any other (the local cloud's Entra), which the public cloud cannot vouch for.
 */
export function createCliCredential(
  auth: AuthKind,
  env: Readonly<Record<string, string | undefined>>,
  authorityHost: string | undefined,
  showDeviceCode: (message: string) => void,
): CliCredential {
  const options: TokenCredentialOptions & { disableInstanceDiscovery?: boolean } = authorityHost
    ? { authorityHost, disableInstanceDiscovery: !knownAuthorities.has(new URL(authorityHost).origin) }
    : {};
  const envIsSet = Boolean(
    env['AZURE_TENANT_ID'] && env['AZURE_CLIENT_ID'] && (env['AZURE_CLIENT_SECRET'] || env['AZURE_CLIENT_CERTIFICATE_PATH']),
  );
  const kind = auth === 'auto' ? (envIsSet ? 'env' : 'cli') : auth;
  switch (kind) {
    case 'env':
      return {
        credential: new EnvironmentCredential(options),
        description: `app ${env['AZURE_CLIENT_ID'] ?? '(AZURE_CLIENT_ID not set)'} from ${ENV_DESCRIPTION}`,
      };
    case 'cli':
      return {
        credential: new AzureCliCredential(env['AZURE_TENANT_ID'] ? { tenantId: env['AZURE_TENANT_ID'] } : {}),
        description: 'the Azure CLI (`az login`)',
      };
    case 'device-code':
      return {
        credential: new DeviceCodeCredential({
          ...options,
          ...(env['AZURE_TENANT_ID'] ? { tenantId: env['AZURE_TENANT_ID'] } : {}),
          ...(env['AZURE_CLIENT_ID'] ? { clientId: env['AZURE_CLIENT_ID'] } : {}),
          userPromptCallback: (info) => showDeviceCode(info.message),
        }),
        description: `a device code sign-in${env['AZURE_CLIENT_ID'] ? ` with app ${env['AZURE_CLIENT_ID']}` : ''}`,
      };
  }
}
