// Build arguments end up in the image history and in provenance attestations, so a credential
// passed as one leaks for good even when no layer holds it (docker/cli#2473, docs#19281). These
// checks run before the build; messages name arguments and secrets, never a value.

export interface BuildArgSecret {
  readonly name: string;
  readonly value: Buffer;
  readonly scopeLabel: string;
}

export interface BuildArgProblem {
  readonly arg: string;
  /**
   * `equals-secret`: the value is a secret's value. `contains-secret`: the value holds a secret's
   * value (`//registry/:_authToken=<token>`). `secret-form`: the value holds a form of one the
   * redactor masks (a line of it, the value without its final newline, an encoding).
   * `credential-name`: the name looks like a credential.
   */
  readonly reason: 'equals-secret' | 'contains-secret' | 'secret-form' | 'credential-name';
  readonly secretName?: string;
  readonly secretScope?: string;
}

// `*TOKEN*`, `*PASSWORD*`, `*PASSWD*`, `*SECRET*`, `*APIKEY*` and `*_KEY`, in any case.
const CREDENTIAL_NAME = /TOKEN|PASSWORD|PASSWD|SECRET|APIKEY|_KEY$/i;

// Containment is only checked for values this long: a short value (a region, a flag) found
// inside an ordinary argument would refuse builds that leak nothing.
const MIN_CONTAINED_BYTES = 8;

/**
 * At most one problem per argument, the strongest: a secret's value, then a name that looks like
 * a credential. Empty values are skipped; they carry nothing to leak.
 */
export function checkBuildArgs(
  args: Readonly<Record<string, string>>,
  secrets: readonly BuildArgSecret[],
): BuildArgProblem[] {
  return Object.entries(args).flatMap(([arg, value]) => {
    const problem = checkOne(arg, Buffer.from(value, 'utf8'), secrets);
    return problem ? [problem] : [];
  });
}

function checkOne(
  arg: string,
  value: Buffer,
  secrets: readonly BuildArgSecret[],
): BuildArgProblem | undefined {
  if (value.length === 0) return undefined;

  const equal = secrets.find((secret) => secret.value.length > 0 && secret.value.equals(value));
  if (equal) return fromSecret(arg, 'equals-secret', equal);

  const contained = secrets.find(
    (secret) => secret.value.length >= MIN_CONTAINED_BYTES && value.includes(secret.value),
  );
  if (contained) return fromSecret(arg, 'contains-secret', contained);

  return CREDENTIAL_NAME.test(arg) ? { arg, reason: 'credential-name' } : undefined;
}

function fromSecret(
  arg: string,
  reason: BuildArgProblem['reason'],
  secret: BuildArgSecret,
): BuildArgProblem {
  return { arg, reason, secretName: secret.name, secretScope: secret.scopeLabel };
}

const WHY = 'build arguments are stored in the image history and provenance';

/** Says what is wrong and which secret mount to use instead. */
export function describeBuildArgProblem(problem: BuildArgProblem): string {
  const { arg, secretName, secretScope } = problem;
  const secret = `secret ${secretName ?? arg}${secretScope ? ` (${secretScope})` : ''}`;

  const id = secretName ?? arg;

  switch (problem.reason) {
    case 'equals-secret':
      return (
        `build argument ${arg} equals the value of ${secret}: ${WHY}; ` +
        `mount it instead: ${mountHint(id, arg)}`
      );
    case 'contains-secret':
      return (
        `build argument ${arg} contains the value of ${secret}: ${WHY}; ` +
        `mount the secret instead: ${mountHint(id, id)}`
      );
    case 'secret-form':
      return (
        `build argument ${arg} holds a stored secret's value in some form (a line of it, the ` +
        `value without its last newline, an encoding): ${WHY}; mount the secret instead`
      );
    case 'credential-name':
      return (
        `build argument ${arg} looks like a credential: ${WHY}; ` +
        `store it as a secret and mount it instead: ${mountHint(arg, arg)}`
      );
  }
}

/**
 * The mount that reads the secret into a variable of the step alone. The file form works with
 * every BuildKit; `env=` on the mount needs Dockerfile syntax 1.10, so it comes second.
 */
function mountHint(id: string, variable: string): string {
  const file = `/run/secrets/${id}`;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
    return `RUN --mount=type=secret,id=${id} ... (the step reads ${file})`;
  }
  return (
    `RUN --mount=type=secret,id=${id} ${variable}="$(cat ${file})" ... ` +
    `(with Dockerfile syntax 1.10 or later: --mount=type=secret,id=${id},env=${variable})`
  );
}
