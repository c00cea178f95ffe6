// A value typed where a name belongs (`secret rm <token> --org acme`) would be repeated by the
// line that names it. Commands that name what they were given register the values of the scopes
// they touch as masks first, so such a line shows `***`, and `secret set` can refuse the name.

import { Redactor, type MaskSource } from '../redact/index.js';
import { maskSourcesOf } from '../secrets/mask-sources.js';
import type { Scope } from '../secrets/model.js';
import type { SecretSource } from '../secrets/source.js';

/** The organization of `scope`, and `scope` itself when it is narrower. */
export function withOrganization(scope: Scope): Scope[] {
  const org: Scope = { kind: 'organization', org: scope.org, owner: scope.org };
  return scope.kind === 'organization' ? [org] : [org, scope];
}

/**
 * Registers the values `scopes` hold with `redactor`, and returns a redactor of those alone. A
 * damaged secret makes the read fail; then nothing is registered, as `secret rm` must still be
 * able to remove that secret.
 */
export async function maskStoredValues(
  source: SecretSource,
  scopes: readonly Scope[],
  redactor: Redactor,
): Promise<Redactor> {
  const stored = new Redactor();
  let values: MaskSource[];
  try {
    values = maskSourcesOf(await source.read(scopes));
  } catch {
    return stored;
  }
  redactor.add(values);
  stored.add(values);
  return stored;
}
