// Where the CLI bundle (dist/bin/cli.js) starts. main() reports every error itself.

import { hideBin } from 'yargs/helpers';

import { main } from './main.js';

void main(hideBin(process.argv));
