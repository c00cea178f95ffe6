// The secret model: what a secret is, where it lives, and the rules its names and values obey.
// Values are Buffers end to end so binary content, CRLF and trailing newlines survive exactly.

export const SCOPE_KINDS = ['organization', 'project', 'user', 'service-account'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export const SECRET_TYPES = ['env', 'file', 'registry', 'api-only'] as const;
export type SecretType = (typeof SECRET_TYPES)[number];

/**
 * Where a secret lives. Every scope belongs to an organization; `owner` is the organization name
 * itself for organization scope, else the project, user or service-account name.
 */
export interface Scope {
  readonly kind: ScopeKind;
  readonly org: string;
  readonly owner: string;
}

/** What a registry secret authenticates against. `host` is normalised (see registry-host.ts). */
export interface RegistryTarget {
  readonly host: string;
  readonly username: string;
  /** `identity` stores the value as an `identitytoken` (ACR-style refresh token). */
  readonly kind?: 'basic' | 'identity';
}

/** Everything about a secret except its value: safe to print, log and return from `list`. */
export interface SecretMeta {
  readonly name: string;
  readonly type: SecretType;
  readonly scope: Scope;
  /** Absolute path inside the container, for `file` secrets. */
  readonly mount?: string;
  /** Registry host and user, for `registry` secrets. */
  readonly registry?: RegistryTarget;
  readonly updatedAt?: string;
}

export interface Secret extends SecretMeta {
  readonly value: Buffer;
}

/** BuildKit refuses secrets over 500 KB (512,000 bytes); the store refuses them when set. */
export const MAX_SECRET_BYTES = 512_000;

export const MAX_NAME_LENGTH = 127;
