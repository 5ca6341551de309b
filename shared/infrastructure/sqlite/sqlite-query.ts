import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Document, JsonObject } from '../../domain/document.js';
import { QueryTimeoutError } from '../../domain/errors.js';
import { planQuery, type IndexPlan, type KeyRange } from '../../domain/indexes/query-planner.js';
import type { CountSpec, QueryResult, QuerySpec, QueryStats } from '../../domain/ports.js';
import { compileFilter, comparePositions, projectData, sortKeyOf, type Filter, type FilterMatcher, type SortPosition } from '../../domain/query/index.js';
import type { IndexEntries, StoredIndex } from './index-entries.js';
import { supersetCondition } from './prefilter.js';
import { DOCUMENT_COLUMNS, toDocument, type DocumentRow } from './rows.js';
import { prepare, prepareColumn, type Statement } from './statements.js';
import { TopK } from './top-k.js';

/** Rows or index entries read per step at most; between steps the process serves other requests. */
const STEP_ROWS = 256;

/**
 * How many rows the next step of a read that may stop early asks for: the page (limit + 1) at first, as a
 * sorted read from an index or an unfiltered id-order read needs no more, then twice as many each step.
 */
function nextStepRows(previous: number | undefined, limit: number): number {
  return previous === undefined ? Math.min(STEP_ROWS, limit + 1) : Math.min(STEP_ROWS, previous * 2);
}
/** Distinct query shapes whose statements are kept prepared; past this the cache starts over. */
const STATEMENT_CACHE_SIZE = 64;

interface Entry {
  readonly key: Uint8Array;
  readonly id: string;
}

/**
 * The reads a query is made of, each bounded (at most STEP_ROWS rows or entries) and synchronous: one step runs
 * inside one read transaction, and the store runs the next step in a later turn of the event loop.
 */
export class QueryReads {
  readonly #statements = new Map<string, Statement>();
  readonly #byId: Statement<[string, string], DocumentRow>;
  readonly #countAll: Statement<[string], number>;

  constructor(
    private readonly db: DatabaseSync,
    readonly indexes: IndexEntries,
  ) {
    this.#byId = prepare(db, `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE collection = ? AND id = ?`);
    this.#countAll = prepareColumn(db, 'SELECT count(*) FROM documents WHERE collection = ?');
  }

  /** Built indexes of the collection, for the planner. */
  readyIndexes(collection: string): StoredIndex[] {
    return this.indexes.indexesOf(collection).filter((index) => index.ready);
  }

  countAll(collection: string): number {
    return this.#countAll.get(collection)!;
  }

  /** The next documents in id order after `afterId` that may match (SQL narrows; the matcher decides). */
  documentsAfter(collection: string, filter: Filter, afterId: string | undefined, rows = STEP_ROWS): DocumentRow[] {
    const clauses = ['collection = ?'];
    const params: SQLInputValue[] = [collection];
    if (afterId !== undefined) {
      clauses.push('id > ?');
      params.push(afterId);
    }
    const prefilter = supersetCondition(filter);
    if (prefilter) {
      clauses.push(prefilter.sql);
      params.push(...prefilter.params);
    }
    const sql = `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE ${clauses.join(' AND ')} ORDER BY id LIMIT ?`;
    return this.#prepared<DocumentRow>(sql).all(...params, rows);
  }

  document(collection: string, id: string): DocumentRow | undefined {
    return this.#byId.get(collection, id);
  }

  /** The next entries of `range` after `resume` (exclusive), in key order or its reverse. */
  entries(collection: string, name: string, range: KeyRange, resume: Entry | undefined, backward: boolean, rows = STEP_ROWS): Entry[] {
    const clauses = ['collection = ?', 'name = ?', 'key >= ?'];
    const params: SQLInputValue[] = [collection, name, range.from];
    if (range.to) {
      clauses.push('key < ?');
      params.push(range.to);
    }
    if (resume) {
      clauses.push(backward ? '(key < ? OR (key = ? AND id < ?))' : '(key > ? OR (key = ? AND id > ?))');
      params.push(resume.key, resume.key, resume.id);
    }
    const order = backward ? 'key DESC, id DESC' : 'key, id';
    const sql = `SELECT key, id FROM index_entries WHERE ${clauses.join(' AND ')} ORDER BY ${order} LIMIT ?`;
    return this.#prepared<Entry>(sql).all(...params, rows);
  }

  #prepared<T>(sql: string): Statement<SQLInputValue[], T> {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      statement = prepare(this.db, sql);
      this.#statements.set(sql, statement);
    }
    return statement as Statement<SQLInputValue[], T>;
  }
}

/** Runs one step inside a read transaction of the store, in a later turn of the event loop. */
export type ReadStep = <T>(step: (reads: QueryReads) => T) => Promise<T>;

interface Hit {
  readonly row: DocumentRow;
  readonly data: JsonObject;
  readonly position: SortPosition;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Counts what a query reads and stops it once it has run past its time limit. */
class Budget {
  keysExamined = 0;
  documentsExamined = 0;
  readonly #deadline: number;

  constructor(private readonly maxTimeMs: number | undefined) {
    this.#deadline = maxTimeMs === undefined ? Infinity : performance.now() + maxTimeMs;
  }

  check(): void {
    if (performance.now() > this.#deadline) throw new QueryTimeoutError(this.maxTimeMs!);
  }
}

/**
 * A query with the domain's matcher, sort order and projection as the only semantics: an index (chosen by the
 * planner) or SQL narrow what is read, but every document read is tested against the whole filter, so the
 * answer is the same with or without indexes. Work is done in steps of at most STEP_ROWS rows, so a long scan
 * never holds the process for more than a few milliseconds at a time; each step reads its own snapshot, so a
 * query spanning many steps sees changes committed between them (never a document twice).
 */
export async function runQuery(read: ReadStep, collection: string, spec: QuerySpec): Promise<QueryResult> {
  const started = performance.now();
  const budget = new Budget(spec.maxTimeMs);
  const plan = await read((reads) => planQuery(spec.filter, spec.sort, reads.readyIndexes(collection)));
  const matches = compileFilter(spec.filter);
  const hitOf = (row: DocumentRow): Hit | undefined => {
    budget.documentsExamined++;
    const data = JSON.parse(row.data) as JsonObject;
    if (!matches(data)) return undefined;
    const position = { values: sortKeyOf(data, spec.sort), id: row.id };
    if (spec.after && comparePositions(position, spec.after, spec.sort) <= 0) return undefined;
    return { row, data, position };
  };
  const hits =
    plan === undefined
      ? await scanCollection(read, collection, spec, hitOf, budget)
      : plan.order === 'none'
        ? await fromCandidates(read, collection, spec, await candidateIds(read, collection, plan, budget), hitOf, budget)
        : await inIndexOrder(read, collection, spec, plan, hitOf, budget);
  const byPosition = (a: Hit, b: Hit): number => comparePositions(a.position, b.position, spec.sort);
  const page = hits.sort(byPosition).slice(0, spec.limit);
  const last = page.at(-1);
  const fields = spec.fields;
  const documents: Document[] = page.map((hit) => toDocument(hit.row, fields === undefined ? hit.data : projectData(hit.data, fields)));
  const stats: QueryStats = {
    index: plan?.index.name ?? null,
    keysExamined: budget.keysExamined,
    documentsExamined: budget.documentsExamined,
    durationMs: performance.now() - started,
  };
  return { documents, next: hits.length > spec.limit && last ? last.position : null, stats };
}

/** Without an index: every document in id order (narrowed by SQL), the first limit + 1 matches or the best. */
async function scanCollection(read: ReadStep, collection: string, spec: QuerySpec, hitOf: (row: DocumentRow) => Hit | undefined, budget: Budget): Promise<Hit[]> {
  const inIdOrder = spec.sort.length === 0;
  const best = new TopK<Hit>(spec.limit + 1, (a, b) => comparePositions(a.position, b.position, spec.sort));
  const hits: Hit[] = [];
  let afterId = inIdOrder ? spec.after?.id : undefined;
  let want: number | undefined;
  for (;;) {
    budget.check();
    want = inIdOrder ? nextStepRows(want, spec.limit) : STEP_ROWS;
    const rowsWanted = want;
    const done = await read((reads) => {
      const rows = reads.documentsAfter(collection, spec.filter, afterId, rowsWanted);
      for (const row of rows) {
        afterId = row.id;
        const hit = hitOf(row);
        if (!hit) continue;
        if (!inIdOrder) best.offer(hit);
        else if (hits.push(hit) > spec.limit) return true;
      }
      return rows.length < rowsWanted;
    });
    if (done) return inIdOrder ? hits : best.sorted();
  }
}

/** The distinct ids of the documents with a key in the plan's ranges. */
async function candidateIds(read: ReadStep, collection: string, plan: IndexPlan, budget: Budget): Promise<string[]> {
  const ids = new Set<string>();
  for (const range of plan.ranges) {
    let resume: Entry | undefined;
    for (;;) {
      budget.check();
      const entries = await read((reads) => reads.entries(collection, plan.index.name, range, resume, false));
      budget.keysExamined += entries.length;
      for (const entry of entries) ids.add(entry.id);
      resume = entries.at(-1);
      if (entries.length < STEP_ROWS) break;
    }
  }
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The candidates' documents, in id order: the first limit + 1 matches, or the best under the sort. */
async function fromCandidates(read: ReadStep, collection: string, spec: QuerySpec, ids: string[], hitOf: (row: DocumentRow) => Hit | undefined, budget: Budget): Promise<Hit[]> {
  const inIdOrder = spec.sort.length === 0;
  const best = new TopK<Hit>(spec.limit + 1, (a, b) => comparePositions(a.position, b.position, spec.sort));
  const hits: Hit[] = [];
  const afterId = inIdOrder ? spec.after?.id : undefined;
  let next = afterId === undefined ? 0 : ids.findIndex((id) => id > afterId);
  if (next < 0) return [];
  while (next < ids.length) {
    budget.check();
    const batch = ids.slice(next, next + STEP_ROWS);
    next += batch.length;
    const full = await read((reads) => {
      for (const id of batch) {
        const row = reads.document(collection, id);
        const hit = row && hitOf(row);
        if (!hit) continue;
        if (!inIdOrder) best.offer(hit);
        else if (hits.push(hit) > spec.limit) return true;
      }
      return false;
    });
    if (full) break;
  }
  return inIdOrder ? hits : best.sorted();
}

/**
 * The index yields the query's order: read its entries in that order until limit + 1 matches are found (read
 * backward, on to the end of the last key's run of equal keys, whose documents the final sort puts in id order).
 */
async function inIndexOrder(read: ReadStep, collection: string, spec: QuerySpec, plan: IndexPlan, hitOf: (row: DocumentRow) => Hit | undefined, budget: Budget): Promise<Hit[]> {
  const backward = plan.order === 'backward';
  const ranges = backward ? [...plan.ranges].reverse() : plan.ranges;
  const hits: Hit[] = [];
  const seen = new Set<string>();
  let lastKey: Uint8Array | undefined;
  let want: number | undefined;
  for (const range of ranges) {
    let resume: Entry | undefined;
    for (;;) {
      budget.check();
      want = nextStepRows(want, spec.limit);
      const rowsWanted = want;
      const { entries, full } = await read((reads) => {
        const entries = reads.entries(collection, plan.index.name, range, resume, backward, rowsWanted);
        for (let i = 0; i < entries.length; i++) {
          const entry = entries[i]!;
          // Backward, ids within equal keys come last first, so the last key's run is read to its end and sorted.
          if (backward && hits.length > spec.limit && lastKey && !sameBytes(entry.key, lastKey)) return { entries, full: true };
          budget.keysExamined++;
          if (seen.has(entry.id)) continue;
          seen.add(entry.id);
          const row = reads.document(collection, entry.id);
          const hit = row && hitOf(row);
          if (!hit) continue;
          // Forward, entries come in (key, id) order, the sort's own order: limit + 1 hits are the page.
          if (hits.push(hit) > spec.limit && !backward) return { entries, full: true };
          lastKey = entry.key;
        }
        return { entries, full: false };
      });
      if (full) return hits;
      resume = entries.at(-1);
      if (entries.length < rowsWanted) break;
    }
  }
  return hits;
}

/** How many documents match: from the index alone where its ranges decide the match. */
export async function countMatches(read: ReadStep, collection: string, spec: CountSpec): Promise<number> {
  const budget = new Budget(spec.maxTimeMs);
  const plan = await read((reads) => planQuery(spec.filter, [], reads.readyIndexes(collection)));
  if (plan?.exact) return (await candidateIds(read, collection, plan, budget)).length;
  if (!plan && Object.keys(spec.filter).length === 0) return read((reads) => reads.countAll(collection));
  const matches: FilterMatcher = compileFilter(spec.filter);
  let count = 0;
  const countRow = (row: DocumentRow | undefined): void => {
    budget.documentsExamined++;
    if (row && matches(JSON.parse(row.data) as JsonObject)) count++;
  };
  if (plan) {
    const ids = await candidateIds(read, collection, plan, budget);
    for (let next = 0; next < ids.length; next += STEP_ROWS) {
      budget.check();
      const batch = ids.slice(next, next + STEP_ROWS);
      await read((reads) => batch.forEach((id) => countRow(reads.document(collection, id))));
    }
    return count;
  }
  let afterId: string | undefined;
  for (;;) {
    budget.check();
    const done = await read((reads) => {
      const rows = reads.documentsAfter(collection, spec.filter, afterId);
      for (const row of rows) countRow(row);
      afterId = rows.at(-1)?.id;
      return rows.length < STEP_ROWS;
    });
    if (done) return count;
  }
}
