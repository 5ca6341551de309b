import type { Database } from 'better-sqlite3';

/** Bumped whenever the DDL below changes; stored in `PRAGMA user_version`. */
const SCHEMA_VERSION = 1;

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
`;

/**
 * Per-connection settings, then the schema. WAL lets readers run beside the one writer of each moment and
 * NORMAL sync is durable across process crashes in WAL mode. The schema check reads one header field, so a
 * cold start on an existing file never takes the write lock.
 */
export function prepareDatabase(db: Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  if (db.pragma('user_version', { simple: true }) === SCHEMA_VERSION) return;
  db.transaction(() => {
    db.exec(DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
