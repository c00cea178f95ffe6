import { describe, expect, it } from 'vitest';

import { isStartupVariable } from './startup-variables.js';

describe('isStartupVariable', () => {
  it.each(['BASH_ENV', 'node_options', 'LD_LIBRARY_PATH', 'DOCKER_CONFIG', 'BUILDKIT_PROGRESS'])(
    'knows %s',
    (name) => {
      expect(isStartupVariable(name)).toBe(true);
    },
  );

  it.each(['NPM_TOKEN', 'GITHUB_TOKEN', 'DB_PASSWORD', 'ENVIRONMENT', 'OLD_PATH'])(
    'leaves %s alone',
    (name) => {
      expect(isStartupVariable(name)).toBe(false);
    },
  );
});
