import { describe, expect, it } from 'vitest';

import { isStartupVariable } from './startup-variables.js';

describe('isStartupVariable', () => {
  it.each(['BASH_ENV', 'NODE_OPTIONS', 'LD_LIBRARY_PATH', 'DOCKER_CONFIG', 'GIT_SSH_COMMAND'])(
    'knows %s',
    (name) => {
      expect(isStartupVariable(name)).toBe(true);
    },
  );

  it.each(['NPM_TOKEN', 'GITHUB_TOKEN', 'node_options', 'ENVIRONMENT', 'OLD_PATH'])(
    'leaves %s alone',
    (name) => {
      expect(isStartupVariable(name)).toBe(false);
    },
  );
});
