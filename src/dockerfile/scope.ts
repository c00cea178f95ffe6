// Which variables an expansion can see, following BuildKit's rules: FROM sees only the global
// ARGs (declared before the first FROM) and the platform ARGs; a stage sees its own ARGs and ENVs,
// the ARGs and ENVs of a parent stage, and whatever its base image sets in its environment.
// Upstream: moby/buildkit frontend/dockerfile/dockerfile2llb/convert.go (buildMetaArgs,
// dispatchArg, dispatchEnv), v0.33.

import { expandWord, UNKNOWN, type Lookup, type VarValue } from './expand.js';

// Set by BuildKit in the global scope from the build's platforms and target; a build argument of
// the same name overrides each.
const AUTOMATIC_ARGS = [
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDOSVERSION',
  'BUILDARCH',
  'BUILDVARIANT',
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETOSVERSION',
  'TARGETARCH',
  'TARGETVARIANT',
  'TARGETSTAGE',
];

export interface ScopeContext {
  readonly buildArgs: Readonly<Record<string, string>>;
  readonly escape: string;
}

export class VarScope {
  private readonly values = new Map<string, VarValue>();

  constructor(private readonly fallback: Lookup) {}

  readonly lookup: Lookup = (name) => this.values.get(name) ?? this.fallback(name);

  set(name: string, value: VarValue): void {
    this.values.set(name, value);
  }
}

/** The scope FROM lines expand in, before any global ARG is declared. */
export function createGlobalScope(context: ScopeContext): VarScope {
  const scope = new VarScope((name) => ({
    kind: 'unset',
    reason: `${name} is not a global ARG (declare it before the first FROM)`,
  }));

  for (const name of AUTOMATIC_ARGS) {
    const given = buildArg(context, name);
    scope.set(
      name,
      given ?? { kind: 'unknown', reason: `${name} is set by BuildKit at build time` },
    );
  }
  return scope;
}

/** A stage on an image sees the image's environment, which is unknown before the build. */
export function createImageStageScope(): VarScope {
  return new VarScope((name) => ({
    kind: 'unknown',
    reason: `${name} is not set in the Dockerfile and may come from the base image`,
  }));
}

/** A stage on scratch, or on an earlier stage whose variables it inherits. */
export function createChildScope(parent?: VarScope): VarScope {
  if (parent) return new VarScope(parent.lookup);
  return new VarScope((name) => ({ kind: 'unset', reason: `${name} is not set in this stage` }));
}

/**
 * Declares `ARG name[=default]`. A build argument wins and its default is then never expanded;
 * without either, a stage ARG takes the global ARG's value.
 */
export function declareArg(
  scope: VarScope,
  declaration: { name: string; rawDefault: string | null; global?: VarScope },
  context: ScopeContext,
): void {
  const { name, rawDefault, global } = declaration;
  const given = buildArg(context, name);
  if (given) return scope.set(name, given);
  if (rawDefault !== null) {
    return scope.set(name, toValue(expandWord(rawDefault, scope.lookup, context.escape)));
  }

  const inherited = global?.lookup(name);
  const reason = `ARG ${name} has no default and no build argument sets it`;
  scope.set(name, inherited && inherited.kind !== 'unset' ? inherited : { kind: 'unset', reason });
}

/** Declares `ENV name=value` pairs; every value sees the scope as it was before the line. */
export function declareEnv(
  scope: VarScope,
  pairs: readonly { name: string; rawValue: string }[],
  escape: string,
): void {
  const values = pairs.map(
    (pair) => [pair.name, toValue(expandWord(pair.rawValue, scope.lookup, escape))] as const,
  );
  for (const [name, value] of values) scope.set(name, value);
}

function toValue(expansion: { text: string; problems: string[] }): VarValue {
  if (expansion.text === UNKNOWN) {
    return { kind: 'unknown', reason: expansion.problems.join('; ') };
  }
  return { kind: 'set', value: expansion.text, problems: expansion.problems };
}

function buildArg(context: ScopeContext, name: string): VarValue | undefined {
  if (!Object.hasOwn(context.buildArgs, name)) return undefined;
  return { kind: 'set', value: context.buildArgs[name] ?? '' };
}
