// Decides, before a build, which secrets changed since the last successful build of the same
// project and Dockerfile, and what to do about cached steps that may hold their old values.

import type { Logger } from '../log.js';
import type { Secret } from '../secrets/model.js';
import type { Principal } from '../secrets/resolve.js';
import { flagIsOn } from './buildx-flags.js';
import { changedIds, openFingerprintStore, type Fingerprints } from './fingerprints.js';
import { localDockerfilePath, type PassthroughInfo } from './passthrough.js';

export interface StalenessOptions {
  readonly stateDir: string;
  readonly principal: Principal;
  readonly info: PassthroughInfo;
  readonly secrets: readonly Secret[];
  readonly logger: Logger;
  readonly rebuild: boolean;
  /** The builder's own options: a `--no-cache` build rebuilds everything anyway. */
  readonly passthrough?: readonly string[];
  /** Stage names that mount any of the ids; undefined when it cannot be known. */
  readonly stagesMounting?: (ids: readonly string[]) => string[] | undefined;
}

export interface StalenessResult {
  /** Extra builder flags: `--no-cache-filter` for the stages concerned, or `--no-cache`. */
  readonly flags: string[];
  /** Call after a successful build, to remember what it received. */
  readonly commit: () => void;
}

const NOTHING: StalenessResult = { flags: [], commit: () => undefined };

export function checkStaleness(options: StalenessOptions): StalenessResult {
  const dockerfile = localDockerfilePath(options.info);
  if (!dockerfile) return NOTHING;

  const key = [options.principal.org, options.principal.project ?? '', dockerfile];
  const store = openFingerprintStore(options.stateDir, key);
  // Only mounted secrets reach build steps; a rotated registry password changes no layer.
  const mounted = options.secrets.filter(
    (secret) => secret.type === 'env' || secret.type === 'file',
  );
  const current = store.compute(mounted);
  const previous = store.load();
  const commit = () => store.save(current);
  if (!previous) return { flags: [], commit };

  const changed = changedIds(previous, current);
  if (changed.length === 0) return { flags: [], commit };

  const reaction = reactToChange(changed, options);
  // Secrets only warned about may still sit, old, in cached steps: they stay "changed" (their
  // old fingerprints are kept) until a build rebuilds those steps.
  const keepOld = () => store.save(withPrevious(current, previous, reaction.stale));
  return { flags: reaction.flags, commit: reaction.stale.length > 0 ? keepOld : commit };
}

interface Reaction {
  readonly flags: string[];
  /** Changed ids whose cached steps were left as they are. */
  readonly stale: string[];
}

function reactToChange(allChanged: string[], options: StalenessOptions): Reaction {
  // A changed secret that no step mounts cannot be in any cached step: nothing to say or do.
  const changed = allChanged.filter((id) => options.stagesMounting?.([id])?.length !== 0);
  if (changed.length === 0 || flagIsOn(options.passthrough ?? [], '--no-cache')) {
    return { flags: [], stale: [] };
  }

  const stages = options.stagesMounting?.(changed);
  const names = changed.join(', ');

  if (!options.rebuild) {
    options.logger.warn(
      `secrets changed since the last build of this Dockerfile: ${names}. BuildKit leaves ` +
        'secrets out of its cache keys, so cached steps that mount them may still hold the ' +
        'old values; pass --rebuild-on-secret-change to rebuild those stages',
    );
    return { flags: [], stale: changed };
  }

  if (stages === undefined) {
    options.logger.info(`secrets changed (${names}): rebuilding without the cache`);
    return { flags: ['--no-cache'], stale: [] };
  }
  if (stages.length === 0) return { flags: [], stale: [] };
  options.logger.info(`secrets changed (${names}): rebuilding stages ${stages.join(', ')}`);
  return { flags: ['--no-cache-filter', stages.join(',')], stale: [] };
}

/** `current`, with the fingerprints (or absence) that `previous` had for `ids`. */
function withPrevious(current: Fingerprints, previous: Fingerprints, ids: string[]): Fingerprints {
  const merged = { ...current };
  for (const id of ids) {
    if (id in previous) merged[id] = previous[id];
    else delete merged[id];
  }
  return merged;
}
