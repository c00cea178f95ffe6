// What a pre-flight analysis of a Dockerfile reports. Pure data: no values, only ids and hosts.

export interface AnalyzeOptions {
  /** Build arguments as the build will receive them; they override ARG defaults. */
  readonly buildArgs?: Readonly<Record<string, string>>;
  /** The `--target` stage, when one is given. */
  readonly target?: string;
}

export interface SecretMountRef {
  /** `source=` or `id=` if given, else the base name of the target; byte for byte. */
  readonly id: string;
  /** True when the Dockerfile names the id (`id=` or `source=`) instead of deriving it. */
  readonly explicitId: boolean;
  /** `required`, `required=true`, `required=1`, ... as BuildKit's strconv.ParseBool reads it. */
  readonly required: boolean;
  /** Where the file is mounted; `/run/secrets/<id>` by default, absent for an `env=` only mount. */
  readonly target?: string;
  /** The environment variable the secret is exposed as, when `env=` is given. */
  readonly env?: string;
  /** 1-based line of the RUN instruction. */
  readonly line: number;
  /** The stage's name, or its 0-based index when it has none. */
  readonly stage: string;
}

export interface RegistryRef {
  /** The docker config.json key (`https://index.docker.io/v1/` for Docker Hub). */
  readonly host: string;
  /** The reference as resolved; as written when part of it is only known at build time. */
  readonly image: string;
  /** 1-based line; 0 when it comes from the BUILDKIT_SYNTAX build argument. */
  readonly line: number;
  readonly via: 'from' | 'copy-from' | 'mount-from' | 'syntax';
}

export interface DockerfileWarning {
  /** 1-based line the warning is about; 0 when it is about the build's options. */
  readonly line: number;
  readonly message: string;
}

export interface DockerfileAnalysis {
  /**
   * The secret mounts of the stages the build runs: the target and what it reaches. All of them
   * when that is only known at build time.
   */
  readonly secretMounts: SecretMountRef[];
  /** Deduplicated by host and image. */
  readonly registries: RegistryRef[];
  /** False when some image's registry cannot be known before the build (unknown ARG, ...). */
  readonly registriesKnown: boolean;
  /** False when some secret mount's id cannot be known before the build. */
  readonly secretMountsKnown: boolean;
  /** The frontend image BuildKit will pull, when a syntax directive or BUILDKIT_SYNTAX sets one. */
  readonly syntax?: { readonly image: string; readonly line: number };
  /** A --target that names no stage, with the names the stages do have. */
  readonly missingTarget?: { readonly target: string; readonly stages: readonly string[] };
  readonly warnings: DockerfileWarning[];
}
