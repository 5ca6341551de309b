// `npm run backup -- <file>`: an online copy of the SQLite store (DATA_DIR, default ./data) into <file>, safe while
// the stack runs and writes: SQLite's backup API copies a consistent snapshot, in one step under a read
// transaction (writers go on beside it in WAL mode), and includes what still sits in the write-ahead log. Restore: stop the stack, then
// `npm run backup -- --restore <file>` puts the copy back as DATA_DIR/documents.sqlite (README "Backup and restore").
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { backup, DatabaseSync } from 'node:sqlite';

/** The most pages node:sqlite takes per backup step (a 32-bit count): more than any store file holds. */
const ALL_PAGES = 2 ** 31 - 1;

const args = process.argv.slice(2);
const restore = args[0] === '--restore';
const file = restore ? args[1] : args[0];
if (!file) {
  process.stderr.write('usage: npm run backup -- <file>   |   npm run backup -- --restore <file>\n');
  process.exit(2);
}
const store = join(process.env.DATA_DIR || './data', 'documents.sqlite');

if (restore) {
  // The copy replaces the file whole; a log or index of the replaced file would be applied to the wrong pages.
  for (const stale of [`${store}-wal`, `${store}-shm`]) rmSync(stale, { force: true });
  mkdirSync(dirname(store), { recursive: true });
  copyFileSync(file, store);
  process.stdout.write(`restored ${file} to ${store}\n`);
} else {
  if (!existsSync(store)) {
    process.stderr.write(`backup: no store at ${store} (set DATA_DIR)\n`);
    process.exit(1);
  }
  // The folder the copy goes in (e.g. `backups/`, as the README's example names it) is made when missing.
  mkdirSync(dirname(file), { recursive: true });
  const db = new DatabaseSync(store, { readOnly: true });
  try {
    // All pages in one step: copied a hundred at a time (the default), the copy starts over whenever another
    // process writes between two steps, and under steady writes never ends.
    const totalPages = await backup(db, file, { rate: ALL_PAGES });
    process.stdout.write(`backed up ${store} to ${file} (${totalPages} pages)\n`);
  } finally {
    db.close();
  }
}
