import { severities, type Severity, type VigilEvent } from '../events/vigilEvent.js';
import { findingOf } from './findingOf.js';
import type { RouteRule, RoutesConfig } from './routesConfig.js';

export interface RoutedEvent {
  route: string;
  event: VigilEvent;
}

/**
 * Maps events to routes with the configured rules, in order: every matching rule adds its routes, a
 * matching `final` rule ends the walk, and an event no rule matched goes to the default route.
 * - Info events (token refreshed, scan completed) reach only rules that name their type, never the default.
 * - `delivery.failed` always reaches the default route as well: a broken channel must be reported.
 * - Recovery notices are routed here like anything else; `decideDeliveries` sends them only where
 *   the finding was opened, and the pipeline adds those routes from the notification state.
 */
export function routeEvents(events: readonly VigilEvent[], config: RoutesConfig): RoutedEvent[] {
  return events.flatMap((event) => routesFor(event, config).map((route) => ({ route, event })));
}

export function routesFor(event: VigilEvent, config: RoutesConfig): string[] {
  const info = findingOf(event).role === 'info';
  const routes = new Set<string>();
  let matched = false;
  for (const rule of config.rules) {
    if (info && !namesType(rule, event.type)) continue;
    if (!matches(rule, event)) continue;
    matched = true;
    rule.routes.forEach((r) => routes.add(r));
    if (rule.final) break;
  }
  if ((!matched && !info) || event.type === 'delivery.failed') routes.add(config.defaultRoute);
  return [...routes];
}

const rank = (s: Severity): number => severities.indexOf(s);

function namesType(rule: RouteRule, type: string): boolean {
  return rule.match.types?.includes(type) ?? false;
}

function matches({ match }: RouteRule, event: VigilEvent): boolean {
  const routing = event.routing;
  if (match.tenants && !match.tenants.includes(event.tenantId)) return false;
  if (match.types && !match.types.some((t) => t === event.type || (t.endsWith('.*') && event.type.startsWith(t.slice(0, -1)))))
    return false;
  if (match.minSeverity && rank(event.severity) < rank(match.minSeverity)) return false;
  if (match.name !== undefined && !namesOf(event).some((n) => globMatches(match.name!, n))) return false;
  if (match.tags && !Object.entries(match.tags).every(([k, v]) => routing.tags[k] === v)) return false;
  if (match.owner !== undefined && !sameText(routing.owner, match.owner)) return false;
  if (match.team !== undefined && !sameText(routing.team, match.team)) return false;
  if (match.downstream !== undefined && !sameText(routing.downstream, match.downstream)) return false;
  return true;
}

function namesOf(event: VigilEvent): string[] {
  const names = [event.subject.displayName];
  if ('connection' in event.data) names.push(event.data.connection);
  return names;
}

function sameText(actual: string | undefined, wanted: string): boolean {
  return actual !== undefined && actual.toLowerCase() === wanted.toLowerCase();
}

/** `*` any run of characters, `?` one character, case-insensitive, whole name. */
export function globMatches(pattern: string, text: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 'i').test(text);
}
