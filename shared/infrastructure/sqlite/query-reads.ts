import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Document } from '../../domain/document.js';
import { InterruptedError } from '../../domain/errors.js';
import { planQuery, type IndexPlan, type KeyRange } from '../../domain/indexes/query-planner.js';
import type { Filter, SortSpec } from '../../domain/query/index.js';
import { storedDocument } from '../../domain/stored-document.js';
import type { IndexEntries, StoredIndex } from './index-entries.js';
import { supersetCondition } from './prefilter.js';
import { DOCUMENT_COLUMNS, type DocumentRow } from './rows.js';
import { BOUND_LIMIT, prepare, prepareColumn, prepareTuples, type Statement } from './statements.js';

/** Rows or index entries read per step at most; between steps the process serves other requests. */
export const STEP_ROWS = 256;
/**
 * Rows SQL tests against a prefilter in one step at most, and rows a count of a whole collection walks per step.
 * A prefilter that passes few rows of many would otherwise read the whole collection in one statement (80 ms
 * at 100,000 documents, holding the process); a row costs SQL about a microsecond, so a window takes a couple
 * of milliseconds.
 */
export const WINDOW_ROWS = 2048;
/** Distinct query shapes whose statements are kept prepared; past this the cache starts over. */
const STATEMENT_CACHE_SIZE = 64;

/**
 * An index entry: its key as hex text, and its document's id. Hex, because reading a BLOB column makes a buffer
 * per row, which costs more than the text; the text also compares with ===.
 */
export interface Entry {
  readonly key: string;
  readonly id: string;
}

/** An index entry with the document it points to, read by one statement. */
interface IndexedDocument {
  readonly key: string;
  readonly document: Document;
}

/** A step of a read in id order, and where the next step goes on. */
export interface ScanStep {
  readonly rows: DocumentRow[];
  /** The id after which the next step reads: the last row's, or the end of the window SQL tested; undefined at the collection's end. */
  readonly resumeAfter: string | undefined;
}

type EntryTuple = [key: string, id: string];
type IndexedTuple = [key: string, id: string, version: number, createdAt: string, updatedAt: string, data: string];

/** The WHERE clause over index_entries (as `alias`) for the entries of `range` after `resume`, and their order. */
function entryRange(alias: string, collection: string, name: string, range: KeyRange, resume: Entry | undefined, backward: boolean) {
  const [key, id] = [`${alias}key`, `${alias}id`];
  const clauses = [`${alias}collection = ?`, `${alias}name = ?`, `${key} >= ?`];
  const params: SQLInputValue[] = [collection, name, range.from];
  if (range.to) {
    clauses.push(`${key} < ?`);
    params.push(range.to);
  }
  if (resume) {
    clauses.push(`(${key}, ${id}) ${backward ? '<' : '>'} (unhex(?), ?)`);
    params.push(resume.key, resume.id);
  }
  return { where: clauses.join(' AND '), params, order: backward ? `${key} DESC, ${id} DESC` : `${key}, ${id}` };
}

/**
 * A plan, with the build of the index it reads (index-catalog.ts): a query reading over several steps reads
 * its index only while it is still that one, not dropped meanwhile nor dropped and created again.
 */
export type StoredPlan = IndexPlan & { readonly build: number };

/**
 * The reads a query is made of, each bounded (at most STEP_ROWS rows or entries) and synchronous: one step runs
 * inside one read transaction, and the store runs the next step in a later turn of the event loop.
 */
export class QueryReads {
  readonly #statements = new Map<string, Statement>();
  /**
   * Built indexes by collection, as read in the current read transaction. A transaction reads one snapshot, in
   * which no other connection's change to the catalog can appear, so every query of a batch plans from one read.
   */
  readonly #readyIndexes = new Map<string, StoredIndex[]>();
  readonly #byId: Statement<[string, string], DocumentRow>;
  readonly #countAfter: Statement<[string, string], number>;
  readonly #windowEnd: Statement<[string, string, number], string>;

  constructor(
    private readonly db: DatabaseSync,
    readonly indexes: IndexEntries,
  ) {
    this.#byId = prepare(db, `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE collection = ? AND id = ?`);
    this.#countAfter = prepareColumn(db, 'SELECT count(*) FROM documents WHERE collection = ? AND id > ?');
    this.#windowEnd = prepareColumn(db, 'SELECT id FROM documents WHERE collection = ? AND id > ? ORDER BY id LIMIT 1 OFFSET +?');
  }

  /** Called as each read transaction begins: what was read in an earlier snapshot no longer holds. */
  newSnapshot(): void {
    this.#readyIndexes.clear();
  }

  /** Built indexes of the collection, for the planner. */
  readyIndexes(collection: string): StoredIndex[] {
    let ready = this.#readyIndexes.get(collection);
    if (!ready) {
      ready = this.indexes.indexesOf(collection).filter((index) => index.ready);
      this.#readyIndexes.set(collection, ready);
    }
    return ready;
  }

  /** The plan for a query over the collection's built indexes as this read transaction sees them. */
  plan(collection: string, filter: Filter, sort: SortSpec): StoredPlan | undefined {
    const ready = this.readyIndexes(collection);
    const plan = planQuery(filter, sort, ready);
    return plan && { ...plan, build: ready.find((index) => index.definition.name === plan.index.name)!.build };
  }

  /**
   * Throws InterruptedError once the plan's index is gone: its entries would be missing or half built, and the
   * answer short without a word. (MongoDB, too, stops a query whose index is dropped.)
   */
  #checkIndex(collection: string, plan: StoredPlan): void {
    const { name } = plan.index;
    if (this.readyIndexes(collection).some((index) => index.build === plan.build && index.definition.name === name)) return;
    throw new InterruptedError(`index '${name}' of collection '${collection}' was dropped while the query read it; try again`);
  }

  /** The id of the `rows`-th document after `afterId` in id order, or undefined when fewer follow it. */
  #windowEndAfter(collection: string, afterId: string, rows = WINDOW_ROWS): string | undefined {
    return this.#windowEnd.get(collection, afterId, rows - 1);
  }

  /** Counts the documents of the next window after `afterId` (`''` comes before every id). */
  countWindow(collection: string, afterId: string): { count: number; resumeAfter: string | undefined } {
    const end = this.#windowEndAfter(collection, afterId);
    return end === undefined ? { count: this.#countAfter.get(collection, afterId)!, resumeAfter: undefined } : { count: WINDOW_ROWS, resumeAfter: end };
  }

  /**
   * The next documents in id order after `afterId` (`''` comes before every id) that may match (SQL narrows; the
   * matcher decides): at most `rows`. With a prefilter, SQL tests only a window of the next documents: eight
   * times the rows wanted (a first page's step finds its rows without walking far), at most WINDOW_ROWS.
   */
  documentsAfter(collection: string, filter: Filter, afterId: string, rows = STEP_ROWS): ScanStep {
    const prefilter = supersetCondition(filter);
    if (!prefilter) {
      const sql = `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE collection = ? AND id > ? ORDER BY id ${BOUND_LIMIT}`;
      const found = this.#prepared<DocumentRow>(sql).all(collection, afterId, rows);
      return { rows: found, resumeAfter: found.length === rows ? found.at(-1)!.id : undefined };
    }
    const windowEnd = this.#windowEndAfter(collection, afterId, Math.min(WINDOW_ROWS, rows * 8));
    // Fewer documents than the window follow: the read goes to the collection's end.
    const bound = windowEnd === undefined ? '' : 'AND id <= ? ';
    const sql = `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE collection = ? AND id > ? ${bound}AND ${prefilter.sql} ORDER BY id ${BOUND_LIMIT}`;
    const params = windowEnd === undefined ? [collection, afterId] : [collection, afterId, windowEnd];
    const found = this.#prepared<DocumentRow>(sql).all(...params, ...prefilter.params, rows);
    return { rows: found, resumeAfter: found.length === rows ? found.at(-1)!.id : windowEnd };
  }

  document(collection: string, id: string): DocumentRow | undefined {
    return this.#byId.get(collection, id);
  }

  /** The next entries of `range` after `resume` (exclusive), in key order or its reverse. */
  entries(collection: string, plan: StoredPlan, range: KeyRange, resume: Entry | undefined, backward: boolean, rows = STEP_ROWS): Entry[] {
    this.#checkIndex(collection, plan);
    const { where, params, order } = entryRange('', collection, plan.index.name, range, resume, backward);
    const sql = `SELECT hex(key), id FROM index_entries WHERE ${where} ORDER BY ${order} ${BOUND_LIMIT}`;
    return this.#tuples<EntryTuple>(sql)
      .all(...params, rows)
      .map(([key, id]) => ({ key, id }));
  }

  /** The same entries as `entries`, each with its document: one statement, not one more read per entry. */
  indexedDocuments(collection: string, plan: StoredPlan, range: KeyRange, resume: Entry | undefined, backward: boolean, rows: number): IndexedDocument[] {
    this.#checkIndex(collection, plan);
    const { where, params, order } = entryRange('e.', collection, plan.index.name, range, resume, backward);
    const sql =
      'SELECT hex(e.key), e.id, d.version, d.created_at, d.updated_at, d.data FROM index_entries e ' +
      `JOIN documents d ON d.collection = e.collection AND d.id = e.id WHERE ${where} ORDER BY ${order} ${BOUND_LIMIT}`;
    return this.#tuples<IndexedTuple>(sql)
      .all(...params, rows)
      .map(([key, id, version, createdAt, updatedAt, data]) => ({ key, document: storedDocument(id, collection, version, createdAt, updatedAt, data) }));
  }

  #prepared<T>(sql: string): Statement<SQLInputValue[], T> {
    return this.#cached(sql, () => prepare(this.db, sql)) as Statement<SQLInputValue[], T>;
  }

  #tuples<T extends unknown[]>(sql: string): Statement<SQLInputValue[], T> {
    return this.#cached(sql, () => prepareTuples(this.db, sql)) as Statement<SQLInputValue[], T>;
  }

  #cached(sql: string, prepareNew: () => Statement): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      statement = prepareNew();
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
