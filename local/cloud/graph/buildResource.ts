import type { Resource } from './toCredentialResources.js';

/** How each property of a resource is read from its source, in the order Graph sends them. */
export type PropertyGetters<S> = Readonly<Record<string, (source: S) => unknown>>;

export interface ResourceOptions {
  /** A certificate's public key is shown only for one object read with `$select=keyCredentials`. */
  includeKeys?: boolean;
  /** `$select`: `id` and the named properties, in the order asked for; without it, the whole default set. */
  select?: readonly string[] | undefined;
}

/** The resource with every property, or with `id` and the selected ones: only what is returned is read. */
export function buildResource<S>(getters: PropertyGetters<S>, source: S, select: readonly string[] | undefined): Resource {
  const resource: Resource = {};
  for (const name of namesOf(getters, select)) resource[name] = getters[name]?.(source);
  return resource;
}

/** The names a `$select` (one array for a whole page) or the default set builds, worked out once per page rather than per object. */
const selectedNames = new WeakMap<object, readonly string[]>();
function namesOf(getters: Readonly<Record<string, unknown>>, select: readonly string[] | undefined): readonly string[] {
  const key = select ?? getters;
  let names = selectedNames.get(key);
  if (!names) {
    names = select ? ['id', ...select.filter((name) => name !== 'id')] : Object.keys(getters);
    selectedNames.set(key, names);
  }
  return names;
}
