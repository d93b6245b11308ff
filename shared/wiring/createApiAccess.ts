import type { TableClient } from '@azure/data-tables';
import { createFormKeyStore } from '../adapters/storage/formKeyTable.js';
import { createTableAuditLog } from '../adapters/storage/tableAuditLog.js';
import type { AccessPolicy } from '../api/authenticateRequest.js';
import { createAccessTokenVerifier } from '../api/verifyAccessToken.js';
import type { OAuthDescription } from '../api/openApiDocument.js';
import type { Settings } from '../settings/settingsSchema.js';

export interface ApiAccess {
  readonly policy: AccessPolicy;
  readonly audit: ReturnType<typeof createTableAuditLog>;
  /** Where a client gets a token for the API (the OpenAPI description's client-credentials flow). */
  readonly oauth: OAuthDescription;
  /** The key that signs and checks the status page's form tokens. */
  readonly formKey: () => Promise<Buffer>;
}

/** Built once per process, so each tenant's signing keys are fetched once and cached by jose. */
export function createApiAccess(settings: Settings, login: string, tables: { audit: TableClient; formKeys: TableClient }): ApiAccess {
  const allowedTenants = settings.VIGIL_API_ALLOWED_TENANTS ?? [settings.VIGIL_TENANT_ID];
  return {
    policy: {
      verifier: createAccessTokenVerifier({ login, audiences: settings.VIGIL_API_AUDIENCE, allowedTenants }),
      allowedTenants,
      trustPlatformAuth: settings.VIGIL_TRUST_PLATFORM_AUTH,
    },
    audit: createTableAuditLog(tables.audit),
    formKey: createFormKeyStore(tables.formKeys),
    oauth: {
      // Vigil's home tenant in its cloud; the API's first audience (its Application ID URI by default) names the scope.
      tokenUrl: `${login.replace(/\/+$/, '')}/${settings.VIGIL_TENANT_ID}/oauth2/v2.0/token`,
      scope: `${(settings.VIGIL_API_AUDIENCE[0] ?? 'api://vigil').replace(/\/+$/, '')}/.default`,
    },
  };
}
