// Child process for the crash test: opens the store with better-sqlite3 directly, starts a write
// transaction big enough to spill into the WAL, reports that it is mid-transaction and waits to
// be killed with SIGKILL.

import { randomBytes } from 'node:crypto';
import process from 'node:process';

import Database from 'better-sqlite3';

const [storePath] = process.argv.slice(2);
const db = new Database(storePath, { timeout: 10_000 });
const insert = db.prepare(
  `INSERT INTO secrets (kind, org, owner, name, type, meta, nonce, ciphertext, tag, updated_at)
   VALUES ('project', 'acme', 'web', ?, 'api-only', '{}', ?, ?, ?, '')`,
);

db.exec('BEGIN IMMEDIATE');
for (let i = 0; i < 4000; i++) {
  insert.run(`junk_${i}`, randomBytes(12), randomBytes(4096), randomBytes(16));
}
process.stdout.write('in-transaction\n');

// Keep the transaction open until the test kills this process.
setInterval(() => {}, 1000);
