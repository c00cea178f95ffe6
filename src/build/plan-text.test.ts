import { describe, expect, it } from 'vitest';

import type { Scope } from '../secrets/model.js';
import type { BuildPlan } from './plan.js';
import { formatPlanText } from './plan-text.js';
import type { Preflight } from './preflight.js';

const org: Scope = { kind: 'organization', org: 'acme', owner: 'acme' };
const project: Scope = { kind: 'project', org: 'acme', owner: 'web' };

const plan: BuildPlan = {
  builder: { docker: 'docker', kind: 'buildx' },
  runDir: '/dev/shm/ona-build-1-x',
  dockerConfigDir: '/dev/shm/ona-build-1-x/docker-config',
  context: '.',
  secrets: [
    { id: 'a_much_longer_name', type: 'file', scope: project, file: '/s/0', bytes: 3 },
    { id: 'tok', type: 'env', scope: org, file: '/s/1', bytes: 3 },
  ],
  registries: [],
  argv: ['docker', 'buildx', 'build', '.'],
  mountTargets: new Map(),
};

const checked: Preflight = {
  dockerfile: '/w/Dockerfile',
  secrets: [],
  fromEnv: [],
  allowedVariables: [],
  aliases: [],
  stagesMounting: () => undefined,
};

describe('formatPlanText', () => {
  it('lines the secrets up in columns', () => {
    const text = formatPlanText(plan, checked);

    expect(text).toContain(
      [
        '  a_much_longer_name  file  project acme/web   not mounted',
        '  tok                 env   organization acme  not mounted',
      ].join('\n'),
    );
    expect(text).toContain('Registry credentials:\n  (none)');
  });
});
