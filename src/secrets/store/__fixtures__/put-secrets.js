// Child process for the multi-process test: waits for the go signal, then opens the store (racing
// the other children to create it) and puts `count` secrets into one shared scope.

import { Buffer } from 'node:buffer';
import { once } from 'node:events';
import process from 'node:process';

import { SqliteStore } from '../sqlite-store.ts';

const [storePath, worker, count] = process.argv.slice(2);
const scope = { kind: 'project', org: 'acme', owner: 'web' };

process.send('ready');
const [masterKey] = await once(process, 'message');

const store = SqliteStore.open({
  path: storePath,
  masterKey: Buffer.from(masterKey, 'base64'),
  create: true,
});
for (let i = 0; i < Number(count); i++) {
  const name = `w${worker}_s${i}`;
  await store.put({ name, type: 'api-only', scope, value: Buffer.from(`value of ${name}\n`) });
}
store.close();

process.send('done');
process.disconnect();
