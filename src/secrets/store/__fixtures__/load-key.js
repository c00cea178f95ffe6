// Child process for the key-file race: loads (or creates) the master key and prints a digest of
// it, so the test can check that every racer ended up with the same key.

import { createHash } from 'node:crypto';
import process from 'node:process';

import { loadMasterKey } from '../../../crypto/master-key.ts';

const [keyFile] = process.argv.slice(2);
const key = loadMasterKey({ env: {}, keyFile, create: true });
process.stdout.write(createHash('sha256').update(key).digest('hex'));
