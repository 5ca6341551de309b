import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DatabaseSync } from 'node:sqlite';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newDocument } from '../../shared/domain/document.js';
import { InterruptedError, UnavailableError } from '../../shared/domain/errors.js';
import type { IndexDefinition } from '../../shared/domain/indexes/index-definition.js';
import type { JsonObject, JsonValue } from '../../shared/domain/document.js';
import type { DocumentStore } from '../../shared/domain/ports.js';
import {
  comparePositions,
  EMPTY_ARRAY_SORT_KEY,
  matchesFilter,
  sortKeyOf,
  type Filter,
  type SortPosition,
  type SortSpec,
  validateFilter,
} from '../../shared/domain/query/index.js';
import { WINDOW_ROWS } from '../../shared/infrastructure/sqlite/query-reads.js';
import { DEFAULT_FILE_NAME, openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { storeContract, type OpenedStore, type StoreTestOptions } from './document-store.contract.js';

const tempDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'dbsvc-sqlite-'));

/** A store on a file of its own, removed by its cleanup. */
async function openOwnStore(options?: StoreTestOptions): Promise<OpenedStore> {
  const dir = await tempDir();
  const store = openSqliteStore({ dataDir: dir, ...options });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

storeContract('SQLite store contract', openOwnStore);
storeContract('SQLite store contract, every query also with indexes', openOwnStore, {}, { withIndexes: true });

const T0 = new Date('2026-01-01T00:00:00.000Z');
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./fixtures/replace-worker.mts', import.meta.url));

const test = suite<{ dir: string }>('SQLite store: files, connections and processes', { dir: '' });

test.before.each(async (context) => {
  context.dir = await tempDir();
});

test.after.each(async ({ dir }) => {
  await rm(dir, { recursive: true, force: true });
});

test('two stores on the same file (as two processes would) see each other’s writes', async ({ dir }) => {
  const a = openSqliteStore({ dataDir: dir });
  const b = openSqliteStore({ dataDir: dir });
  try {
    await a.create(newDocument('users', 'u1', { n: 1 }, T0));
    assert.equal((await b.get('users', 'u1'))?.data, { n: 1 });
    await b.replace('users', 'u1', { data: { n: 2 }, expectedVersion: 1, now: T0 });
    assert.is((await a.get('users', 'u1'))?.version, 2);
    assert.equal(
      (await a.query('users', { filter: validateFilter({ n: 2 }), sort: [], limit: 10 })).documents.map((d) => d.id),
      ['u1'],
    );
  } finally {
    await a.close();
    await b.close();
  }
});

test('a query plans with the indexes another connection has created or dropped since the last query', async ({ dir }) => {
  const a = openSqliteStore({ dataDir: dir });
  const b = openSqliteStore({ dataDir: dir });
  const indexUsed = async () => (await a.query('users', { filter: validateFilter({ n: 2 }), sort: [], limit: 10, explain: true })).stats.index;
  try {
    await a.create(newDocument('users', 'u1', { n: 2 }, T0));
    assert.is(await indexUsed(), null);
    await b.createIndex('users', { name: 'by_n', keys: [['n', 1]], unique: false });
    assert.is(await indexUsed(), 'by_n');
    await b.dropIndex('users', 'by_n');
    assert.is(await indexUsed(), null);
  } finally {
    await a.close();
    await b.close();
  }
});

const byN: IndexDefinition = { name: 'by_n', keys: [['n', 1]], unique: false };

/** `count` documents d0000.. of `collection` with n = i % 7. */
async function seedNumbers(dir: string, collection: string, count: number): Promise<void> {
  const store = openSqliteStore({ dataDir: dir });
  try {
    const documents = Array.from({ length: count }, (_, i) => ({ document: newDocument(collection, `d${String(i).padStart(4, '0')}`, { n: i % 7 }, T0) }));
    await store.createMany(collection, documents, false);
  } finally {
    await store.close();
  }
}

test('two stores (as two processes would) creating one index at once: one creates it, the other finds it', async ({ dir }) => {
  await seedNumbers(dir, 'c', 3000);
  const a = openSqliteStore({ dataDir: dir });
  const b = openSqliteStore({ dataDir: dir });
  try {
    const created = await Promise.all([a.createIndex('c', byN), b.createIndex('c', byN)]);
    assert.equal(created.sort(), [false, true]);
  } finally {
    await a.close();
    await b.close();
  }
});

test('an index whose build a crash stopped half-way is finished by the next createIndex', async ({ dir }) => {
  await seedNumbers(dir, 'c', 1200);
  const before = openSqliteStore({ dataDir: dir });
  await before.createIndex('c', byN);
  await before.close();
  // What a process that died after the first build step leaves: the definition, not ready, and part of the entries.
  const crashed = new DatabaseSync(join(dir, DEFAULT_FILE_NAME));
  crashed.exec("UPDATE indexes SET ready = 0; DELETE FROM index_entries WHERE id >= 'd0500'");
  crashed.close();
  const store = openSqliteStore({ dataDir: dir });
  try {
    assert.equal(await store.listIndexes('c'), []);
    assert.is(await store.createIndex('c', byN), true);
    assert.equal(await store.listIndexes('c'), [byN]);
    const filter = validateFilter({ n: 3 });
    assert.is((await store.query('c', { filter, sort: [], limit: 10, explain: true })).stats.index, 'by_n');
    // Counted from the index's entries alone: every document has its entry again.
    assert.is(await store.count('c', { filter }), 171);
  } finally {
    await store.close();
  }
});

test('a file of schema 4 gains a build number for each index when opened, and its indexes stay ready', async ({ dir }) => {
  await seedNumbers(dir, 'c', 10);
  const current = openSqliteStore({ dataDir: dir });
  await current.createIndex('c', byN);
  await current.close();
  const old = new DatabaseSync(join(dir, DEFAULT_FILE_NAME));
  old.exec('ALTER TABLE indexes DROP COLUMN build; PRAGMA user_version = 4;');
  old.close();
  const reopened = openSqliteStore({ dataDir: dir });
  try {
    assert.equal(await reopened.listIndexes('c'), [byN]);
    assert.is(await reopened.createIndex('c', byN), false);
  } finally {
    await reopened.close();
  }
  const migrated = new DatabaseSync(join(dir, DEFAULT_FILE_NAME), { readOnly: true });
  try {
    assert.equal(migrated.prepare('SELECT name, build FROM indexes').all().map((row) => ({ ...row })), [{ name: 'by_n', build: 0 }]);
  } finally {
    migrated.close();
  }
});

test('data survives closing and reopening the store', async ({ dir }) => {
  const first = openSqliteStore({ dataDir: dir });
  const { document } = await first.create(newDocument('users', 'u1', { name: 'Ada' }, T0), { key: 'k', fingerprint: 'f' });
  await first.close();
  const reopened = openSqliteStore({ dataDir: dir });
  try {
    assert.equal(await reopened.get('users', 'u1'), document);
    const retry = await reopened.create(newDocument('users', 'u2', { name: 'Ada' }, T0), { key: 'k', fingerprint: 'f' });
    assert.is(retry.replayed, true, 'idempotency keys survive too');
  } finally {
    await reopened.close();
  }
});

test('an idempotency key older than 24 hours is forgotten: the same key creates again', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  const claim = { key: 'k', fingerprint: 'f' };
  try {
    await store.create(newDocument('users', 'u1', { n: 1 }, T0), claim);
    const db = new DatabaseSync(join(dir, DEFAULT_FILE_NAME));
    db.prepare('UPDATE idempotency_keys SET created_at_ms = created_at_ms - ?').run(25 * 60 * 60 * 1000);
    db.close();
    const again = await store.create(newDocument('users', 'u2', { n: 1 }, T0), claim);
    assert.is(again.replayed, false);
    assert.is(again.document.id, 'u2');
    assert.is((await store.create(newDocument('users', 'u3', { n: 1 }, T0), claim)).document.id, 'u2');
  } finally {
    await store.close();
  }
});

/** The schema files were created with before tombstones (user_version 1). */
const SCHEMA_1 = `
CREATE TABLE documents (collection TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL, created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (collection, id)) WITHOUT ROWID;
CREATE TABLE idempotency_keys (collection TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, document TEXT NOT NULL,
  created_at_ms INTEGER NOT NULL, PRIMARY KEY (collection, key)) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at_ms);
PRAGMA user_version = 1;
`;

test('a file of the schema before tombstones keeps its documents and gains tombstones and indexes when opened', async ({ dir }) => {
  const old = new DatabaseSync(join(dir, DEFAULT_FILE_NAME));
  old.exec(SCHEMA_1);
  old
    .prepare('INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?)')
    .run('users', 'u1', 5, T0.toISOString(), T0.toISOString(), JSON.stringify({ name: 'Ada' }));
  old.close();
  const store = openSqliteStore({ dataDir: dir });
  try {
    assert.equal(await store.get('users', 'u1'), {
      id: 'u1',
      collection: 'users',
      version: 5,
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
      data: { name: 'Ada' },
    });
    await store.delete('users', 'u1', undefined);
    const { document } = await store.create(newDocument('users', 'u1', { name: 'Eve' }, T0));
    assert.is(document.version, 7, 'continues after the tombstone (6) of version 5');
  } finally {
    await store.close();
  }
  const migrated = new DatabaseSync(join(dir, DEFAULT_FILE_NAME), { readOnly: true });
  try {
    assert.is(migrated.prepare('PRAGMA user_version').get()?.user_version, 5, 'brought up to the current schema');
  } finally {
    migrated.close();
  }
});

/** How many tombstones the store's file holds for `collection`. */
function tombstonesOf(dir: string, collection: string): number {
  const db = new DatabaseSync(join(dir, DEFAULT_FILE_NAME), { readOnly: true });
  try {
    return Number(db.prepare('SELECT count(*) AS n FROM tombstones WHERE collection = ?').get(collection)?.n);
  } finally {
    db.close();
  }
}

test('an id created again, alone or in a bulk create, continues after its tombstone and removes it', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  try {
    for (const id of ['alone', 'bulk']) {
      await store.create(newDocument('again', id, { n: 1 }, T0));
      await store.delete('again', id, undefined);
    }
    assert.is(tombstonesOf(dir, 'again'), 2);
    // Version 1, then its deletion (2), then the new incarnation.
    assert.is((await store.create(newDocument('again', 'alone', { n: 2 }, T0))).document.version, 3);
    assert.is(tombstonesOf(dir, 'again'), 1);
    const [outcome] = await store.createMany('again', [{ document: newDocument('again', 'bulk', { n: 2 }, T0) }], false);
    assert.ok(outcome?.ok && outcome.value.document.version === 3, JSON.stringify(outcome));
    assert.is(tombstonesOf(dir, 'again'), 0);
  } finally {
    await store.close();
  }
});

test('a file of schema 3 loses the trigger that cleared tombstones on every insert when opened', async ({ dir }) => {
  const current = openSqliteStore({ dataDir: dir });
  await current.ping();
  await current.close();
  const old = new DatabaseSync(join(dir, DEFAULT_FILE_NAME));
  old.exec(`CREATE TRIGGER documents_clear_tombstone AFTER INSERT ON documents BEGIN
    DELETE FROM tombstones WHERE collection = NEW.collection AND id = NEW.id; END; PRAGMA user_version = 3;`);
  old.close();
  const reopened = openSqliteStore({ dataDir: dir });
  await reopened.ping();
  await reopened.close();
  const migrated = new DatabaseSync(join(dir, DEFAULT_FILE_NAME), { readOnly: true });
  try {
    assert.is(migrated.prepare('PRAGMA user_version').get()?.user_version, 5);
    assert.equal(migrated.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all().map((row) => row.name), ['documents_drop_index_entries', 'documents_leave_tombstone']);
  } finally {
    migrated.close();
  }
});

test('the data directory is created when missing, and the file is named by fileName', async ({ dir }) => {
  const dataDir = join(dir, 'nested', 'data');
  const store = openSqliteStore({ dataDir, fileName: 'custom.db' });
  await store.ping();
  await store.close();
  const db = new DatabaseSync(join(dataDir, 'custom.db'), { readOnly: true });
  try {
    assert.is(db.prepare('PRAGMA journal_mode').get()?.journal_mode, 'wal');
  } finally {
    db.close();
  }
});

test('five processes replacing one document at once lose no increments and see no SQLITE_BUSY', async ({ dir }) => {
  const processes = 5;
  const each = 40;
  const store = openSqliteStore({ dataDir: dir });
  await store.create(newDocument('race', 'hot', { writer: 0 }, T0));
  const workers = Array.from({ length: processes }, () =>
    spawn(process.execPath, ['--import', 'tsx', WORKER, dir, 'race', 'hot', String(each)], {
      cwd: REPO_ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  try {
    // Every worker has loaded and opened before any of them writes, so the writes really overlap.
    await Promise.all(workers.map((w) => once(w.stdout, 'data')));
    for (const worker of workers) worker.stdin.write('go\n');
    const codes = await Promise.all(workers.map(async (w) => (await once(w, 'exit'))[0] as number | null));
    assert.equal(codes, Array(processes).fill(0), 'every worker finished without an error');
    assert.is((await store.get('race', 'hot'))?.version, 1 + processes * each);
  } finally {
    for (const worker of workers) if (worker.exitCode === null) worker.kill();
    await store.close();
  }
});

test('a write that waits longer than busyTimeoutMs for the lock throws UnavailableError', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir, busyTimeoutMs: 50 });
  await store.create(newDocument('users', 'u1', { n: 1 }, T0));
  const holder = new DatabaseSync(join(dir, DEFAULT_FILE_NAME));
  holder.exec('BEGIN IMMEDIATE');
  try {
    const error = await store.replace('users', 'u1', { data: { n: 2 }, now: T0 }).catch((e: unknown) => e);
    assert.instance(error, UnavailableError);
    assert.match(String((error as Error).cause), /locked|busy/i);
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
    await store.close();
  }
});

test('create and createMany return -0 in data as a read gives it back: stored JSON holds 0', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  try {
    const [many] = await store.createMany('c', [{ document: newDocument('c', 'a', { zero: -0, list: [-0] }, T0) }], false);
    const alone = await store.create(newDocument('c', 'b', { zero: -0 }, T0));
    for (const created of [many?.ok ? many.value.document : undefined, alone.document]) {
      assert.ok(created);
      assert.equal(created, await store.get('c', created.id));
      assert.ok(Object.is(created.data['zero'], 0));
    }
  } finally {
    await store.close();
  }
});

test('a data directory that cannot be created makes calls fail with UnavailableError', async ({ dir }) => {
  const file = join(dir, 'not-a-directory');
  await writeFile(file, '');
  const store = openSqliteStore({ dataDir: join(file, 'data') });
  const error = await store.ping().catch((e: unknown) => e);
  assert.instance(error, UnavailableError);
});

test('a closed store answers with UnavailableError', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  await store.ping();
  await store.close();
  const error = await store.get('users', 'u1').catch((e: unknown) => e);
  assert.instance(error, UnavailableError);
});

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The ids of the documents `filter` matches, in `sort` order: what the domain's own functions select. */
function domainOrder(all: ReadonlyArray<{ id: string; data: JsonObject }>, filter: Filter, sort: SortSpec): string[] {
  return all
    .filter((d) => matchesFilter(filter, d.data))
    .map((d) => ({ id: d.id, values: sortKeyOf(d.data, sort) }))
    .sort((x, y) => comparePositions(x, y, sort))
    .map((d) => d.id);
}

/**
 * Pages through every filter × sort below, over 150 documents of random values, and requires exactly what the
 * domain functions select and order over all documents. `indexes` are built first (none: every query scans).
 */
async function pagedQueriesMatchTheDomain(dir: string, values: (pick: <T>(items: readonly T[]) => T, next: () => number) => Array<() => JsonValue | undefined>, indexes: IndexDefinition[]): Promise<void> {
  const next = random(42);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const generators = values(pick, next);
  const store = openSqliteStore({ dataDir: dir });
  const all: Array<{ id: string; data: JsonObject }> = [];
  try {
    for (let i = 0; i < 150; i++) {
      const data: JsonObject = {};
      for (const field of ['a', 'b', 'c']) {
        const value = pick(generators)();
        if (value !== undefined) data[field] = value;
      }
      const id = `d${String(Math.floor(next() * 1e6)).padStart(6, '0')}-${i}`;
      await store.create(newDocument('r', id, data, T0));
      all.push({ id, data });
    }
    for (const index of indexes) await store.createIndex('r', index);
    const filters: JsonObject[] = [
      {},
      { a: 'x' },
      { a: { $eq: 'é' } },
      { a: { $in: ['y', 'X'] } },
      { $and: [{ a: 'x' }, { b: { $exists: true } }] },
      { a: 'x', b: { $in: ['y', 2] } },
      { $or: [{ a: 'z' }, { 'c.d': 'x' }] },
      { b: { $gte: 2 } },
      { 'a.d': 'y' },
      { a: { $ne: 'x' } },
    ];
    const sorts: SortSpec[] = [[], [['a', 1]], [['b', -1]], [['c.d', 1], ['a', -1]], [['c', -1]]];
    for (const rawFilter of filters) {
      for (const sort of sorts) {
        const filter = rawFilter as Filter;
        const limit = 1 + Math.floor(next() * 12);
        const expected = domainOrder(all, filter, sort);
        const served: string[] = [];
        let after: SortPosition | undefined;
        do {
          const page = await store.query('r', { filter, sort, limit, ...(after && { after }) });
          served.push(...page.documents.map((d) => d.id));
          assert.ok(served.length <= expected.length, `filter ${JSON.stringify(filter)} sort ${JSON.stringify(sort)}: more pages than documents`);
          after = page.next ?? undefined;
        } while (after);
        assert.equal(served, expected, `filter ${JSON.stringify(filter)} sort ${JSON.stringify(sort)} limit ${limit}`);
      }
    }
  } finally {
    await store.close();
  }
}

const WORDS = ['x', 'y', 'z', 'X', 'é'];

test('paged queries return exactly what the domain functions select and order over all documents', async ({ dir }) => {
  await pagedQueriesMatchTheDomain(
    dir,
    (pick, next) => [
      () => undefined,
      () => null,
      () => pick(WORDS),
      () => [pick(WORDS), pick(WORDS)],
      () => Math.floor(next() * 5),
      () => ({ d: pick(WORDS) }),
      () => [],
    ],
    [],
  );
});

test('paged queries through indexes read in the sort order, forward and backward, over mixed types', async ({ dir }) => {
  // No arrays: an index with an array on its paths is multikey and never read in sort order.
  await pagedQueriesMatchTheDomain(
    dir,
    (pick, next) => [() => undefined, () => null, () => pick(WORDS), () => Math.floor(next() * 5), () => ({ d: pick(WORDS) }), () => next() < 0.5],
    [
      { name: 'a_up', keys: [['a', 1]], unique: false },
      { name: 'b_up', keys: [['b', 1]], unique: false },
      { name: 'cd_up_a_down', keys: [['c.d', 1], ['a', -1]], unique: false },
      { name: 'c_up', keys: [['c', 1]], unique: false },
    ],
  );
});

test('a page after a cursor reads an ordered index from the cursor on, not from the start of its range', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  const all = Array.from({ length: 100 }, (_, i) => ({ id: `d${String(i).padStart(3, '0')}`, data: { g: i % 2 === 0 ? 'b' : 'a', n: i % 25 } as JsonObject }));
  try {
    for (const { id, data } of all) await store.create(newDocument('c', id, data, T0));
    await store.createIndex('c', { name: 'g_n', keys: [['g', 1], ['n', 1]], unique: false });
    const filter = validateFilter({ g: 'a' });
    const sorts: SortSpec[] = [[['n', 1]], [['n', -1]], [['g', 1], ['n', -1]]];
    for (const sort of sorts) {
      const expected = domainOrder(all, filter, sort);
      const served: string[] = [];
      let keysExamined = 0;
      let pages = 0;
      let after: SortPosition | undefined;
      do {
        const page = await store.query('c', { filter, sort, limit: 7, ...(after && { after }) });
        assert.is(page.stats.index, 'g_n');
        served.push(...page.documents.map((d) => d.id));
        assert.ok(served.length <= expected.length, `sort ${JSON.stringify(sort)}: more pages than documents`);
        keysExamined += page.stats.keysExamined;
        pages++;
        after = page.next ?? undefined;
      } while (after);
      assert.equal(served, expected, `sort ${JSON.stringify(sort)}`);
      // Each page reads its own entries, one more, and (read backward) the cursor's run of equal keys (2 here).
      assert.ok(keysExamined <= expected.length + 4 * pages, `sort ${JSON.stringify(sort)}: ${keysExamined} keys read for ${expected.length} documents in ${pages} pages`);
    }
  } finally {
    await store.close();
  }
});

/** Strings near U+FFFD and past U+FFFF, where an unpaired surrogate's place in the domain's order differs from U+FFFD's. */
const NEAR_REPLACEMENT_CHARACTER = ['a', '\ufffd', '\uffff', '😀', 'z'];

/** A collection `c` of NEAR_REPLACEMENT_CHARACTER (as field `s`) with an index on `s`, and a copy `p` without. */
async function nearReplacementCharacter(dir: string): Promise<DocumentStore> {
  const store = openSqliteStore({ dataDir: dir });
  for (const collection of ['c', 'p']) {
    for (const [i, s] of NEAR_REPLACEMENT_CHARACTER.entries()) await store.create(newDocument(collection, `d${i}`, { s }, T0));
  }
  await store.createIndex('c', { name: 's_up', keys: [['s', 1]], unique: false });
  return store;
}

test('a page after a cursor the index cannot place (an unpaired surrogate, the empty-array sort key) is the page without the index', async ({ dir }) => {
  const store = await nearReplacementCharacter(dir);
  try {
    const filter = validateFilter({});
    for (const value of ['\ud800', EMPTY_ARRAY_SORT_KEY]) {
      for (const direction of [1, -1] as const) {
        const page = async (collection: string) => (await store.query(collection, { filter, sort: [['s', direction]], limit: 10, after: { values: [value], id: 'd9' } })).documents.map((d) => d.id);
        assert.equal(await page('c'), await page('p'), `after ${JSON.stringify(value)}, direction ${direction}`);
      }
    }
  } finally {
    await store.close();
  }
});

/** Turns of the event loop that pass until `work` settles: a step that holds the process counts as one turn. */
async function turnsDuring<T>(work: Promise<T>): Promise<{ value: T; turns: number }> {
  let turns = 0;
  let settled = false;
  const tick = () => {
    if (settled) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  try {
    return { value: await work, turns };
  } finally {
    settled = true;
  }
}

/**
 * Every document matches, at the last of 20,000 branches: each takes about a millisecond to test, and no index
 * can decide an `$or`.
 */
const HEAVY_OR = { $or: [...Array.from({ length: 19_999 }, () => ({ n: { $lt: 0 } })), { n: { $gte: 0 } }] };
const HEAVY_FILTER: Filter = validateFilter(HEAVY_OR);

test('a scan whose filter is slow to test lets other requests in between its documents, not only between steps of rows', async ({ dir }) => {
  await seedNumbers(dir, 'c', 250);
  const store = openSqliteStore({ dataDir: dir });
  try {
    const { value, turns } = await turnsDuring(store.query('c', { filter: HEAVY_FILTER, sort: [], limit: 1000 }));
    assert.is(value.documents.length, 250);
    assert.ok(turns >= 10, `the 250 documents fit one step of rows, yet the scan took ${turns} turns`);
  } finally {
    await store.close();
  }
});

test('a query read in index order whose filter is slow to test goes on after the entry it stopped at', async ({ dir }) => {
  await seedNumbers(dir, 'c', 250);
  const store = openSqliteStore({ dataDir: dir });
  try {
    await store.createIndex('c', { name: 'by_n', keys: [['n', 1]], unique: false });
    const sort: SortSpec = [['n', 1]];
    const filter = validateFilter({ n: { $gte: 0 }, ...HEAVY_OR });
    const { value, turns } = await turnsDuring(store.query('c', { filter, sort, limit: 1000, explain: true }));
    assert.is(value.stats.index, 'by_n');
    const expected = Array.from({ length: 250 }, (_, i) => ({ id: `d${String(i).padStart(4, '0')}`, n: i % 7 }))
      .sort((a, b) => a.n - b.n || (a.id < b.id ? -1 : 1))
      .map((d) => d.id);
    assert.equal(value.documents.map((d) => d.id), expected);
    assert.ok(turns >= 10, `the query took ${turns} turns`);
  } finally {
    await store.close();
  }
});

test('a count whose filter is slow to test lets other requests in between its documents', async ({ dir }) => {
  await seedNumbers(dir, 'c', 250);
  const store = openSqliteStore({ dataDir: dir });
  try {
    const { value, turns } = await turnsDuring(store.count('c', { filter: HEAVY_FILTER }));
    assert.is(value, 250);
    assert.ok(turns >= 10, `the count took ${turns} turns`);
  } finally {
    await store.close();
  }
});

/** Documents n = 0..count-1 with five-digit ids in order; every `every`-th of them (the last of each run) is tagged rare. */
async function seedRare(dir: string, count: number, every: number): Promise<string[]> {
  const store = openSqliteStore({ dataDir: dir });
  const id = (i: number) => `d${String(i).padStart(5, '0')}`;
  try {
    const documents = Array.from({ length: count }, (_, i) => ({ document: newDocument('c', id(i), { n: i, tag: i % every === every - 1 ? 'rare' : 'common' }, T0) }));
    await store.createMany('c', documents, false);
  } finally {
    await store.close();
  }
  return Array.from({ length: count }, (_, i) => i).filter((i) => i % every === every - 1).map(id);
}

const RARE = validateFilter({ tag: 'rare' });

test('a scan whose SQL narrowing passes few rows of many reads the collection a window at a time, with other requests in between', async ({ dir }) => {
  const count = 20_000;
  const expected = await seedRare(dir, count, 5000);
  const store = openSqliteStore({ dataDir: dir });
  try {
    const { value, turns } = await turnsDuring(store.query('c', { filter: RARE, sort: [], limit: 1000 }));
    assert.equal(value.documents.map((d) => d.id), expected);
    assert.ok(turns >= count / WINDOW_ROWS - 1, `the ${count} documents were read in ${turns} turns`);
  } finally {
    await store.close();
  }
});

test('pages of a narrowed scan go on after their cursor across windows, sorted or in id order', async ({ dir }) => {
  const expected = await seedRare(dir, 20_000, 1500);
  const store = openSqliteStore({ dataDir: dir });
  try {
    for (const sort of [[], [['n', -1]]] as SortSpec[]) {
      const served: string[] = [];
      let after: SortPosition | undefined;
      do {
        const page = await store.query('c', { filter: RARE, sort, limit: 3, ...(after && { after }) });
        served.push(...page.documents.map((d) => d.id));
        after = page.next ?? undefined;
      } while (after && served.length <= expected.length);
      assert.equal(served, sort.length === 0 ? expected : [...expected].reverse(), `sort ${JSON.stringify(sort)}`);
    }
  } finally {
    await store.close();
  }
});

test('a count of a whole collection, or narrowed in SQL, counts a window at a time, with other requests in between', async ({ dir }) => {
  const count = 20_001;
  const expected = await seedRare(dir, count, 5000);
  const store = openSqliteStore({ dataDir: dir });
  try {
    for (const filter of [validateFilter({}), RARE]) {
      const { value, turns } = await turnsDuring(store.count('c', { filter }));
      assert.is(value, filter === RARE ? expected.length : count);
      assert.ok(turns >= count / WINDOW_ROWS - 1, `counted ${JSON.stringify(filter)} in ${turns} turns`);
    }
  } finally {
    await store.close();
  }
});

test('a query whose index another connection drops between its steps fails with InterruptedError, never a short answer', async ({ dir }) => {
  await seedNumbers(dir, 'c', 5000);
  const reader = openSqliteStore({ dataDir: dir });
  const dropper = openSqliteStore({ dataDir: dir });
  try {
    await reader.createIndex('c', { name: 'by_n', keys: [['n', 1]], unique: false });
    // Every document matches: the index's 5,000 entries take about 20 steps to read, and the drop lands among them.
    const querying = reader.query('c', { filter: validateFilter({ n: { $gte: 0 } }), sort: [], limit: 1000 });
    await dropper.dropIndex('c', 'by_n');
    const [outcome] = await Promise.allSettled([querying]);
    assert.is(outcome.status, 'rejected', `answered ${JSON.stringify(outcome.status === 'fulfilled' ? outcome.value : undefined)?.slice(0, 80)}`);
    assert.instance((outcome as PromiseRejectedResult).reason, InterruptedError);
  } finally {
    await Promise.all([reader.close(), dropper.close()]);
  }
});

test('a count whose index another connection drops between its steps counts every match of its snapshot', async ({ dir }) => {
  await seedNumbers(dir, 'c', 5000);
  const reader = openSqliteStore({ dataDir: dir });
  const dropper = openSqliteStore({ dataDir: dir });
  try {
    await reader.createIndex('c', { name: 'by_n', keys: [['n', 1]], unique: false });
    // As above, the drop lands among the count's steps; they all read the snapshot of the first, which holds the index.
    const counting = reader.count('c', { filter: validateFilter({ n: { $gte: 0 } }) });
    await dropper.dropIndex('c', 'by_n');
    assert.is(await counting, 5000);
  } finally {
    await Promise.all([reader.close(), dropper.close()]);
  }
});

test('string equality narrowed in SQL still finds escaped, non-ASCII and array values', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });

test('equality and numeric ranges narrowed in SQL are exact for numbers, booleans, odd keys and escaped strings', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  const odd = 'k "q" \\ é';
  const rows: Array<[string, JsonObject]> = [
    ['n37', { n: 37 }],
    ['n370', { n: 370 }],
    ['n37.5', { n: 37.5 }],
    ['nNeg0', { n: -0 }],
    ['nZero', { n: 0 }],
    ['nBig', { n: 1e21 }],
    ['nSum', { n: 0.1 + 0.2 }],
    ['nArr', { n: [1, 37] }],
    ['nStr', { n: '37' }],
    ['nNested', { x: { n: 37 } }],
    ['bTrue', { b: true }],
    ['bArr', { b: [false, true] }],
    ['bOne', { b: 1 }],
    ['oddKey', { [odd]: 'v' }],
    ['nul', { s: 'a\u0000b' }],
  ];
  try {
    for (const [id, data] of rows) await store.create(newDocument('c', id, data, T0));
    const ids = async (filter: object): Promise<string[]> =>
      (await store.query('c', { filter: filter as Filter, sort: [], limit: 100 })).documents.map((d) => d.id);
    assert.equal(await ids({ n: 37 }), ['n37', 'nArr']);
    assert.equal(await ids({ n: 0 }), ['nNeg0', 'nZero']);
    assert.equal(await ids({ n: -0 }), ['nNeg0', 'nZero']);
    assert.equal(await ids({ n: 1e21 }), ['nBig']);
    assert.equal(await ids({ n: 0.1 + 0.2 }), ['nSum']);
    assert.equal(await ids({ n: { $in: [37.5, '37'] } }), ['n37.5', 'nStr']);
    assert.equal(await ids({ b: true }), ['bArr', 'bTrue']);
    assert.equal(await ids({ b: { $eq: 1 } }), ['bOne']);
    assert.equal(await ids({ [odd]: 'v' }), ['oddKey']);
    assert.equal(await ids({ s: { $in: ['a\u0000b'] } }), ['nul']);
    assert.equal(await ids({ n: { $gt: 37 } }), ['n37.5', 'n370', 'nBig']);
    assert.equal(await ids({ n: { $gte: 37 } }), ['n37', 'n37.5', 'n370', 'nArr', 'nBig']);
    assert.equal(await ids({ n: { $lt: 0.3 } }), ['nNeg0', 'nZero']);
    assert.equal(await ids({ n: { $lte: 0.1 + 0.2 } }), ['nNeg0', 'nSum', 'nZero']);
    assert.equal(await ids({ n: { $gt: 0, $lt: 37 } }), ['nArr', 'nSum']);
    assert.equal(await ids({ b: { $gte: 0 } }), ['bOne']);
    assert.equal(await ids({ n: { $lte: -1e300 } }), []);
  } finally {
    await store.close();
  }
});
  const tricky = 'Ünï "q" \\ \t 🎉 日本';
  try {
    await store.create(newDocument('c', 'a', { s: tricky }, T0));
    await store.create(newDocument('c', 'b', { s: ['x', tricky] }, T0));
    await store.create(newDocument('c', 'c', { s: `${tricky} ` }, T0));
    await store.create(newDocument('c', 'd', { s: { nested: tricky } }, T0));
    const ids = async (filter: object): Promise<string[]> =>
      (await store.query('c', { filter: filter as Filter, sort: [], limit: 10 })).documents.map((d) => d.id);
    assert.equal(await ids({ s: tricky }), ['a', 'b']);
    assert.equal(await ids({ s: { $in: ['zzz', tricky] } }), ['a', 'b']);
    assert.equal(await ids({ $and: [{ s: { $eq: tricky } }, { s: { $exists: true } }] }), ['a', 'b']);
  } finally {
    await store.close();
  }
});

test.run();
