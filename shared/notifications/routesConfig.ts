import { z } from 'zod';
import { severities } from '../events/vigilEvent.js';

/** Route, channel and endpoint names end up in table keys and log lines: keep them plain. */
const name = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,62}$/, 'must be letters, digits and dashes (at most 63)');
/** Key Vault secret names: https://learn.microsoft.com/azure/key-vault/general/about-keys-secrets-certificates#objects-identifiers-and-versioning */
const secretName = z.string().regex(/^[0-9A-Za-z-]{1,127}$/, 'must be a Key Vault secret name');

/** developer.pagerduty.com/docs/events-API-v2/trigger-events */
export const pagerDutyEventsUrl = 'https://events.pagerduty.com/v2/enqueue';

const matchSchema = z
  .object({
    tenants: z.array(z.string()).optional().describe('Tenant ids; any of them matches.'),
    types: z.array(z.string()).optional().describe('Event types, exact (`credential.expiring`) or by family (`credential.*`).'),
    minSeverity: z.enum(severities).optional(),
    name: z.string().optional().describe('Glob (`*`, `?`, case-insensitive) on the app, service principal or connection name.'),
    tags: z.record(z.string(), z.string()).optional().describe('Every listed routing tag must have this value.'),
    owner: z.string().optional(),
    team: z.string().optional(),
    downstream: z.string().optional(),
  })
  .strict();

const ruleSchema = z.object({
  name: z.string().optional(),
  match: matchSchema.default({}),
  routes: z.array(name).min(1),
  /** Stop at this rule when it matches; otherwise every matching rule adds its routes. */
  final: z.boolean().default(false),
});

const routeSchema = z
  .object({
    mail: z.object({ to: z.array(z.email()).default([]), includeAppOwners: z.boolean().default(false) }).optional(),
    /** A Workflows URL carries its credential in `sig=`, so only the Key Vault secret's name is configured. */
    teams: z.array(z.object({ name, urlSecretName: secretName })).default([]),
    /** A Slack incoming-webhook URL is its credential too (hooks.slack.com/services/…): only the secret's name is configured. */
    slack: z.array(z.object({ name, urlSecretName: secretName }).strict()).default([]),
    /**
     * PagerDuty Events API v2: one alert per finding, resolved when it recovers. The integration's routing key
     * is a Key Vault secret; `eventsUrl` is the EU service region's (`https://events.eu.pagerduty.com/v2/enqueue`)
     * or a test endpoint.
     */
    pagerduty: z
      .array(
        z
          .object({
            name,
            routingKeySecretName: secretName,
            eventsUrl: z.url({ protocol: /^https$/ }).default(pagerDutyEventsUrl),
          })
          .strict(),
      )
      .default([]),
    webhooks: z
      .array(
        z
          .object({
            name,
            url: z.url({ protocol: /^https$/ }),
            signingSecretName: secretName,
            /** One POST per digest (`application/cloudevents-batch+json`) instead of one per event. */
            batch: z.boolean().default(false),
          })
          .strict(),
      )
      .default([]),
    /** `daily`: hold this route's notifications for the daily digest timer instead of sending one per run. */
    schedule: z.enum(['perRun', 'daily']).default('perRun'),
  })
  .strict();

export const routesConfigSchema = z
  .object({ defaultRoute: name, routes: z.record(name, routeSchema), rules: z.array(ruleSchema).default([]) })
  .strict()
  .superRefine((config, ctx) => {
    const known = new Set(Object.keys(config.routes));
    if (!known.has(config.defaultRoute))
      ctx.addIssue({ code: 'custom', message: `defaultRoute "${config.defaultRoute}" is not one of the routes` });
    config.rules.forEach((rule, i) => {
      for (const route of rule.routes)
        if (!known.has(route)) ctx.addIssue({ code: 'custom', message: `rules[${i}] names route "${route}", which is not defined` });
    });
    for (const [routeName, route] of Object.entries(config.routes)) {
      if (route.mail && route.mail.to.length === 0 && !route.mail.includeAppOwners) {
        ctx.addIssue({ code: 'custom', message: `routes.${routeName}.mail needs recipients in "to" or includeAppOwners` });
      }
    }
  });

export type RoutesConfig = z.output<typeof routesConfigSchema>;
export type RouteConfig = RoutesConfig['routes'][string];
export type RouteRule = RoutesConfig['rules'][number];
