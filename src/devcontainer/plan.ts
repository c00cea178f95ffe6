// What a devcontainer.json asks to build, as plain data for the build pipeline. `warnings` are
// about `configFile` and do not name it; the caller prints them with the file. No warning or
// message holds an environment value.

export interface DockerfilePlan {
  readonly kind: 'dockerfile';
  readonly configFile: string;
  /** Absolute. */
  readonly dockerfile: string;
  /** Absolute. */
  readonly context: string;
  readonly args: Record<string, string>;
  readonly target?: string;
  readonly cacheFrom: string[];
  /** `build.options`: extra `docker build` arguments, passed on as they are. */
  readonly options: string[];
  readonly warnings: string[];
}

export interface ImagePlan {
  readonly kind: 'image';
  readonly configFile: string;
  readonly image: string;
  readonly warnings: string[];
}

export interface UnsupportedPlan {
  readonly kind: 'unsupported';
  readonly configFile: string;
  readonly reason: 'compose' | 'features';
  readonly message: string;
}

export type DevcontainerPlan = DockerfilePlan | ImagePlan | UnsupportedPlan;
