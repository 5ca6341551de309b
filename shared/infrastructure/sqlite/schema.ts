import type { DatabaseSync } from 'node:sqlite';
import { isBusy } from './sqlite-errors.js';
import { atomically } from './transactions.js';

/**
 * Bumped whenever the DDL below changes; stored in `PRAGMA user_version`. Every statement is idempotent
 * (IF NOT EXISTS), so the same DDL creates a new file and brings an older one up to date:
 *   1  documents and idempotency keys
 *   2  tombstones, kept by triggers, so a version is never reused for a collection and id
 *   3  secondary indexes: their definitions and their entries
 *   4  a re-created id's tombstone is removed by the create itself, not by a trigger on every insert
 *   5  an index's build: which creation of the index its entries belong to
 */
const SCHEMA_VERSION = 5;

const DDL = `
CREATE TABLE IF NOT EXISTS documents (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS idempotency_keys (
  collection TEXT NOT NULL,
  key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  document TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL,
  PRIMARY KEY (collection, key)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS idempotency_keys_by_age ON idempotency_keys (created_at_ms);

-- The last version of each deleted id: its deleted version + 1 (a delete is a change). Creating the id again
-- continues from here, so an If-Match taken from an earlier incarnation can never match a later one.
CREATE TABLE IF NOT EXISTS tombstones (
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  version INTEGER NOT NULL,
  deleted_at_ms INTEGER NOT NULL,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS tombstones_by_age ON tombstones (deleted_at_ms);

-- A trigger runs inside the statement that fires it: a delete and its tombstone commit or fail together, and
-- every writer (any process) leaves one. A create that continues after a tombstone removes it in the same
-- transaction (tombstone-clearing.ts); a trigger on every insert cost a third of a bulk create's insert.
CREATE TRIGGER IF NOT EXISTS documents_leave_tombstone AFTER DELETE ON documents BEGIN
  INSERT OR REPLACE INTO tombstones (collection, id, version, deleted_at_ms)
  VALUES (OLD.collection, OLD.id, OLD.version + 1, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));
END;

DROP TRIGGER IF EXISTS documents_clear_tombstone;

-- Secondary indexes. keys: the definition's [path, direction] pairs as JSON. multikey: some document has had
-- an array on one of its paths (never reset, as in MongoDB). ready: built; queries use only ready indexes,
-- while every change keeps the entries of all of them. build: a random number for this creation of the index
-- (ADDED_COLUMNS), so a creator whose index was dropped and created again meanwhile knows its work is lost.
CREATE TABLE IF NOT EXISTS indexes (
  collection TEXT NOT NULL,
  name TEXT NOT NULL,
  keys TEXT NOT NULL,
  is_unique INTEGER NOT NULL,
  multikey INTEGER NOT NULL DEFAULT 0,
  ready INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (collection, name)
) WITHOUT ROWID;

-- One row per key of a document in an index: the key in an order-preserving encoding, so that a range of
-- keys is a range of this primary key, read in order.
CREATE TABLE IF NOT EXISTS index_entries (
  collection TEXT NOT NULL,
  name TEXT NOT NULL,
  key BLOB NOT NULL,
  id TEXT NOT NULL,
  PRIMARY KEY (collection, name, key, id)
) WITHOUT ROWID;

CREATE INDEX IF NOT EXISTS index_entries_by_document ON index_entries (collection, id);

CREATE TRIGGER IF NOT EXISTS documents_drop_index_entries AFTER DELETE ON documents BEGIN
  DELETE FROM index_entries WHERE collection = OLD.collection AND id = OLD.id;
END;
`;

/** Columns added to a table after it was first created: ALTER TABLE has no IF NOT EXISTS, so each is added when missing. */
const ADDED_COLUMNS = [{ table: 'indexes', column: 'build', definition: 'INTEGER NOT NULL DEFAULT 0' }] as const;

function addMissingColumns(db: DatabaseSync): void {
  for (const { table, column, definition } of ADDED_COLUMNS) {
    const columns = db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all().map((row) => row.name);
    if (!columns.includes(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
  }
}

/**
 * Per-connection settings, then the schema. WAL lets readers run beside the one writer of each moment and
 * NORMAL sync is durable across process crashes in WAL mode. The schema check reads one header field, so a
 * cold start on an existing file never takes the write lock.
 */
export function prepareDatabase(db: DatabaseSync, busyTimeoutMs: number): void {
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    try {
      prepareOnce(db);
      return;
    } catch (error) {
      // Processes that open a new file together meet while one of them turns it into WAL mode: SQLite then
      // refuses a lock at once instead of waiting (a wait could deadlock). Everything here is idempotent, so
      // try again, as the busy timeout would have waited.
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      Atomics.wait(PAUSE, 0, 0, BUSY_RETRY_MS);
    }
  }
}

/** How long to pause before preparing again after an immediate SQLITE_BUSY. */
const BUSY_RETRY_MS = 5;
/** Something to block on for a pause: the store is synchronous, and so is SQLite's own busy wait. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

function prepareOnce(db: DatabaseSync): void {
  db.exec('PRAGMA journal_mode = WAL');
  db.exec('PRAGMA synchronous = NORMAL');
  if (db.prepare('PRAGMA user_version').get()?.user_version === SCHEMA_VERSION) return;
  atomically(
    db,
    () => {
      db.exec(DDL);
      addMissingColumns(db);
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    },
    'immediate',
  );
}
