import { z } from 'zod';
import { cloudNames } from '../cloud/cloudEndpoints.js';
import { secretNameSchema } from '../vault/secretNameSchema.js';

/** The body of `POST /api/connections`; also the source of its schema in the OpenAPI description. */
export const connectionRequestSchema = z
  .object({
    name: secretNameSchema.describe('Name of the connection: the Key Vault secret that will hold its refresh token.'),
    vaultUrl: z
      .url({ protocol: /^https$/ })
      .optional()
      .describe('One of VIGIL_KEY_VAULT_URLS; may be left out when Vigil watches one vault.'),
    tenant: z.string().min(1).describe('Tenant id (or verified domain) the owner signs in to.'),
    cloud: z.enum(cloudNames).default('global').describe('National cloud of the tenant.'),
    clientId: z.guid().describe('Client id of the downstream app the token is issued to.'),
    clientSecretName: secretNameSchema
      .optional()
      .describe("Secret, in the same vault, holding that app's client secret. Give this or clientCertificateName."),
    clientCertificateName: secretNameSchema
      .optional()
      .describe("Instead of a client secret: the secret, in the same vault, holding the app's certificate (PEM with its private key)."),
    scopes: z
      .union([z.string().transform((s) => s.split(/\s+/).filter(Boolean)), z.array(z.string().min(1))])
      .describe('Scopes to request, with offline_access: a space-separated string or an array.'),
    owner: z.email().describe('UPN of the account that signs in; only this account can complete the sign-in.'),
    team: z.string().min(1).max(256).optional().describe('Team the alerts are routed to.'),
    downstream: z.string().min(1).max(256).optional().describe('The system that uses the token (Cerb, UiPath, …).'),
  })
  .strict();

export type ConnectionRequest = z.output<typeof connectionRequestSchema>;
