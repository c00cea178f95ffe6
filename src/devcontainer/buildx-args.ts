// The `docker buildx build` arguments for a Dockerfile plan, one argv element each: values are
// never joined into a shell string, so spaces, quotes, `&`, `;` or `$(...)` stay data.

import type { DockerfilePlan } from './plan.js';

/**
 * In upstream's order: -f, --target, --cache-from, --build-arg, build.options, and the context
 * last. The caller puts its own flags (tags, secrets, output) before these.
 */
export function toBuildxArgs(plan: DockerfilePlan): string[] {
  const args = ['-f', plan.dockerfile];

  if (plan.target !== undefined) args.push('--target', plan.target);
  for (const image of plan.cacheFrom) args.push('--cache-from', image);
  for (const [name, value] of Object.entries(plan.args))
    args.push('--build-arg', `${name}=${value}`);

  args.push(...plan.options, plan.context);
  return args;
}
