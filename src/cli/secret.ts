// `ona-build secret <command>`: the secret store's commands.

import type { Argv } from 'yargs';

import * as list from './secret-list.js';
import * as resolve from './secret-resolve.js';
import * as rm from './secret-rm.js';
import * as set from './secret-set.js';
import { listCommands } from './usage-message.js';

export const command = 'secret';
export const describe = 'Manage secrets in the store';

export function builder(yargs: Argv) {
  return yargs
    .command(set)
    .command(list)
    .command(rm)
    .command(resolve)
    .demandCommand(1, `name a secret command: ${listCommands('secret')}`);
}

export function handler(): void {}
