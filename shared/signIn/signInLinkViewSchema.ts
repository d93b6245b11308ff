import { z } from 'zod';
import { instantSchema } from '../events/instantSchema.js';

/** What connect and reconnect answer (201): the owner's link, and whether Entra will send the sign-in back to Vigil. */
export const signInLinkViewSchema = z
  .object({
    connection: z
      .looseObject({ name: z.string(), vaultUrl: z.string(), owner: z.string() })
      .describe('The connection the link is for (for connect: the request as checked).'),
    signInUrl: z.url().describe('Single use; only the owner can complete it. Treat it as a secret until used.'),
    expiresAt: instantSchema,
    linkId: z.string().describe('Non-secret id of the link, as the audit trail names it.'),
    redirectUri: z.url().describe("Vigil's redirect URI, which the app must list as a Web redirect URI."),
    redirectUriCheck: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('registered') }),
      z.object({ kind: z.literal('missing'), redirectUri: z.string() }),
      z.object({ kind: z.literal('unchecked'), reason: z.string() }),
    ]),
  })
  .meta({ id: 'SignInLink' });
export type SignInLinkView = z.output<typeof signInLinkViewSchema>;
