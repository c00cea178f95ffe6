// Where the CLI bundle (dist/bin/cli.js) starts. main() reports every error itself.
//
// The exports serve only the build-time code cache writer (scripts/write-code-cache.mjs), which
// runs more commands in the same process once this first one is done.

import { hideBin } from 'yargs/helpers';

import { main } from './main.js';

export const firstRun = main(hideBin(process.argv));

export { main };
