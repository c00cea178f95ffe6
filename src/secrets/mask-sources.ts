// What the redactor needs of stored secrets: each value, named by the secret, and for a registry
// secret its username (docker stores `base64(user:password)`, which is masked too).

import type { MaskSource } from '../redact/index.js';
import type { Secret } from './model.js';

export function maskSourcesOf(secrets: readonly Secret[]): MaskSource[] {
  return secrets.map((secret) => ({
    id: secret.name,
    value: secret.value,
    registryUser: secret.registry?.username,
  }));
}
