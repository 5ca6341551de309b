import type { Document, JsonObject } from '../../domain/document.js';
import { QueryTimeoutError } from '../../domain/errors.js';
import { concat } from '../../domain/indexes/key-encoding.js';
import { positionKey, type KeyRange } from '../../domain/indexes/query-planner.js';
import type { CountSpec, QueryResult, QuerySpec, QueryStats } from '../../domain/ports.js';
import { compileFilter, comparePositions, projectData, sortKeyOf, type FilterMatcher, type SortPosition, type SortSpec } from '../../domain/query/index.js';
import { STEP_ROWS, type Entry, type QueryReads, type StoredPlan } from './query-reads.js';
import { toStoredDocument, type DocumentRow } from './rows.js';
import { TopK } from './top-k.js';

/**
 * How long a step may test documents against the filter before it ends early: a filter can be large enough (a
 * body may hold thousands of conditions) that even one step's rows would hold the process for seconds.
 */
const STEP_MS = 5;

/**
 * How many rows the next step of a read that may stop early asks for: the page (limit + 1) at first, as a
 * sorted read from an index or an unfiltered id-order read needs no more, then twice as many each step.
 */
function nextStepRows(previous: number | undefined, limit: number): number {
  return previous === undefined ? Math.min(STEP_ROWS, limit + 1) : Math.min(STEP_ROWS, previous * 2);
}

/**
 * Where a page after the position at `key` (and `id`) starts reading an index in the query's order, instead of
 * at the start of the range (which would read every earlier page again). Forward: strictly after the key and
 * id. Backward: from the end of the key's run, since ids within equal keys are served in ascending order; the
 * ids of that key up to the position's are then dropped by the position test.
 */
function resumeAt(key: Uint8Array, backward: boolean, id: string): Entry {
  if (!backward) return { key: hexOf(key), id };
  // The smallest key after every key up to and including `key`, and no id before it: every entry up to the key.
  return { key: hexOf(concat([key, new Uint8Array([0])])), id: '' };
}

/** Hex as SQLite's hex() writes it (upper case), so it compares equal to the keys read. */
function hexOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/** Runs one step inside a read transaction of the store, in a later turn of the event loop. */
export type ReadStep = <T>(step: (reads: QueryReads) => T) => Promise<T>;

/**
 * A document the query serves, with its position in the sort order worked out when first asked: that needs the
 * parsed data, which a page read in index order under an exact plan never needs but for its last document (the
 * cursor). `key`: its index entry's key (hex), for a read in index order.
 */
class Hit {
  #position: SortPosition | undefined;

  constructor(
    readonly document: Document,
    private readonly sort: SortSpec,
    readonly key = '',
  ) {}

  get position(): SortPosition {
    return (this.#position ??= { values: sortKeyOf(this.document.data, this.sort), id: this.document.id });
  }
}

/**
 * Counts what a query reads, stops it once it has run past its time limit, and tells a step when it has tested
 * documents for STEP_MS: the step then ends after the document in hand, and the next step goes on from there.
 * A step's clock starts once its rows are read: a read that SQL narrowed may itself take longer than STEP_MS
 * (a prefilter passing few rows of many), and counting it would end every step after one document, each
 * reading again nearly all that the last one read.
 */
class Budget {
  keysExamined = 0;
  documentsExamined = 0;
  readonly #deadline: number;
  #stepEnd = Infinity;

  /** `startedAt`: when the caller asked (performance.now()), if it waited before the first step. */
  constructor(
    private readonly maxTimeMs: number | undefined,
    startedAt = performance.now(),
  ) {
    this.#deadline = maxTimeMs === undefined ? Infinity : startedAt + maxTimeMs;
  }

  check(): void {
    if (performance.now() > this.#deadline) throw new QueryTimeoutError(this.maxTimeMs!);
  }

  startStep(): void {
    this.#stepEnd = performance.now() + STEP_MS;
  }

  /** Whether the step has tested documents for STEP_MS. */
  get stepOver(): boolean {
    return performance.now() > this.#stepEnd;
  }
}

/**
 * A query with the domain's matcher, sort order and projection as the only semantics: an index (chosen by the
 * planner) or SQL narrow what is read, but every document read is tested against the whole filter, so the
 * answer is the same with or without indexes. Work is done in steps of at most STEP_ROWS rows, each ended
 * early once it has tested documents for STEP_MS, so a long scan never holds the process for more than a few
 * milliseconds at a time; each step reads its own snapshot, so a
 * query spanning many steps sees changes committed between them (never a document twice).
 */
export async function runQuery(read: ReadStep, collection: string, spec: QuerySpec): Promise<QueryResult> {
  const started = performance.now();
  const budget = new Budget(spec.maxTimeMs);
  const matches = compileFilter(spec.filter);
  const hitOf = (document: Document, key?: string): Hit | undefined => {
    budget.documentsExamined++;
    const hit = new Hit(document, spec.sort, key);
    if (!matches(hit.document.data)) return undefined;
    if (spec.after && comparePositions(hit.position, spec.after, spec.sort) <= 0) return undefined;
    return hit;
  };
  // The plan is made in the first read, which goes on reading when the index yields the query's order: one
  // read transaction and one turn of the event loop fewer for the queries an index serves best.
  let inOrder: IndexOrderRead | undefined;
  const { plan, done } = await read((reads) => {
    const plan = reads.plan(collection, spec.filter, spec.sort);
    if (plan === undefined || plan.order === 'none') return { plan, done: false };
    inOrder = new IndexOrderRead(collection, spec, plan, hitOf, budget);
    return { plan, done: inOrder.step(reads) };
  });
  const hits =
    plan === undefined
      ? await scanCollection(read, collection, spec, hitOf, budget)
      : inOrder === undefined
        ? await fromCandidates(read, collection, spec, await candidateIds(read, collection, plan, budget), hitOf, budget)
        : done
          ? inOrder.ordered()
          : await inOrder.rest(read);
  const page = hits.slice(0, spec.limit);
  const last = page.at(-1);
  const fields = spec.fields;
  const documents: Document[] = page.map(({ document }) => (fields === undefined ? document : { ...document, data: projectData(document.data, fields) }));
  const stats: QueryStats = {
    index: plan?.index.name ?? null,
    keysExamined: budget.keysExamined,
    documentsExamined: budget.documentsExamined,
    durationMs: performance.now() - started,
  };
  return { documents, next: hits.length > spec.limit && last ? last.position : null, stats };
}

/** Without an index: every document in id order (narrowed by SQL), the first limit + 1 matches or the best. */
async function scanCollection(read: ReadStep, collection: string, spec: QuerySpec, hitOf: (document: Document) => Hit | undefined, budget: Budget): Promise<Hit[]> {
  const inIdOrder = spec.sort.length === 0;
  const best = new TopK<Hit>(spec.limit + 1, (a, b) => comparePositions(a.position, b.position, spec.sort));
  const hits: Hit[] = [];
  let afterId = (inIdOrder && spec.after?.id) || '';
  let want: number | undefined;
  for (;;) {
    budget.check();
    want = inIdOrder ? nextStepRows(want, spec.limit) : STEP_ROWS;
    const rowsWanted = want;
    const done = await read((reads) => {
      const { rows, resumeAfter } = reads.documentsAfter(collection, spec.filter, afterId, rowsWanted);
      budget.startStep();
      for (const row of rows) {
        afterId = row.id;
        const hit = hitOf(toStoredDocument(row));
        if (hit && !inIdOrder) best.offer(hit);
        else if (hit && hits.push(hit) > spec.limit) return true;
        if (budget.stepOver) return false;
      }
      if (resumeAfter === undefined) return true;
      afterId = resumeAfter;
      return false;
    });
    if (done) return inIdOrder ? hits : best.sorted();
  }
}

/** The distinct ids of the documents with a key in the plan's ranges. */
async function candidateIds(read: ReadStep, collection: string, plan: StoredPlan, budget: Budget): Promise<string[]> {
  const ids = new Set<string>();
  for (const range of plan.ranges) {
    let resume: Entry | undefined;
    for (;;) {
      budget.check();
      const entries = await read((reads) => reads.entries(collection, plan, range, resume, false));
      budget.keysExamined += entries.length;
      for (const entry of entries) ids.add(entry.id);
      resume = entries.at(-1);
      if (entries.length < STEP_ROWS) break;
    }
  }
  return [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The candidates' documents, in id order: the first limit + 1 matches, or the best under the sort. */
async function fromCandidates(read: ReadStep, collection: string, spec: QuerySpec, ids: string[], hitOf: (document: Document) => Hit | undefined, budget: Budget): Promise<Hit[]> {
  const inIdOrder = spec.sort.length === 0;
  const best = new TopK<Hit>(spec.limit + 1, (a, b) => comparePositions(a.position, b.position, spec.sort));
  const hits: Hit[] = [];
  const afterId = inIdOrder ? spec.after?.id : undefined;
  let next = afterId === undefined ? 0 : ids.findIndex((id) => id > afterId);
  if (next < 0) return [];
  while (next < ids.length) {
    budget.check();
    const full = await read((reads) => {
      budget.startStep();
      for (const end = Math.min(next + STEP_ROWS, ids.length); next < end; ) {
        const row = reads.document(collection, ids[next++]!);
        const hit = row && hitOf(toStoredDocument(row));
        if (hit && !inIdOrder) best.offer(hit);
        else if (hit && hits.push(hit) > spec.limit) return true;
        if (budget.stepOver) return false;
      }
      return false;
    });
    if (full) break;
  }
  return inIdOrder ? hits : best.sorted();
}

/**
 * The index yields the query's order: its entries are read in that order, with their documents, until limit + 1
 * matches are found (read backward, on to the end of the last key's run of equal keys, put in id order at the
 * end). Each step is one bounded read. Keys order documents as their sort positions do, so the hits are put in
 * order by key and id; under an exact plan a document's data is not even parsed, unless it is answered with a
 * projection or its position is needed (the page's last, for the cursor; those of the cursor's own key).
 */
class IndexOrderRead {
  readonly #hits: Hit[] = [];
  readonly #ranges: readonly KeyRange[];
  readonly #backward: boolean;
  readonly #seen = new Set<string>();
  /** The key (hex) of the cursor's position: only entries of that key may still come at or before it. */
  readonly #afterKey: string | undefined;
  #range = 0;
  #resume: Entry | undefined;
  #want: number | undefined;
  #lastKey: string | undefined;

  constructor(
    private readonly collection: string,
    private readonly spec: QuerySpec,
    private readonly plan: StoredPlan,
    private readonly hitOf: (document: Document, key: string) => Hit | undefined,
    private readonly budget: Budget,
  ) {
    this.#backward = plan.order === 'backward';
    this.#ranges = this.#backward ? [...plan.ranges].reverse() : plan.ranges;
    const afterKey = spec.after && plan.ranges.length === 1 ? positionKey(plan, spec.sort, spec.after) : undefined;
    if (afterKey) {
      this.#afterKey = hexOf(afterKey);
      this.#resume = resumeAt(afterKey, this.#backward, spec.after!.id);
    }
  }

  /** A document read at `key`, if it is served: tested against the filter, unless the plan's ranges decide that. */
  #accept(document: Document, key: string): Hit | undefined {
    const { spec } = this;
    if (!this.plan.exact || (spec.after && this.#afterKey === undefined)) return this.hitOf(document, key);
    this.budget.documentsExamined++;
    const hit = new Hit(document, spec.sort, key);
    if (key === this.#afterKey && comparePositions(hit.position, spec.after!, spec.sort) <= 0) return undefined;
    return hit;
  }

  /** Reads the next entries; true once the hits are complete. */
  step(reads: QueryReads): boolean {
    const { spec } = this;
    const hits = this.#hits;
    const backward = this.#backward;
    const range = this.#ranges[this.#range];
    // A plan may hold no range at all (bounds no value meets).
    if (range === undefined) return true;
    const want = (this.#want = nextStepRows(this.#want, spec.limit));
    const rows = reads.indexedDocuments(this.collection, this.plan, range, this.#resume, backward, want);
    this.budget.startStep();
    for (const { key, document } of rows) {
      // Backward, ids within equal keys come last first, so the last key's run is read to its end and sorted.
      if (backward && hits.length > spec.limit && key !== this.#lastKey) return true;
      this.budget.keysExamined++;
      if (this.#seen.has(document.id)) continue;
      this.#seen.add(document.id);
      const hit = this.#accept(document, key);
      if (hit) {
        // Forward, entries come in (key, id) order, the sort's own order: limit + 1 hits are the page.
        if (hits.push(hit) > spec.limit && !backward) return true;
        this.#lastKey = key;
      }
      // Only a step that tests documents against the filter can run long; it goes on after this entry.
      if (!this.plan.exact && this.budget.stepOver) {
        this.#resume = { key, id: document.id };
        return false;
      }
    }
    if (rows.length === want) {
      const last = rows.at(-1)!;
      this.#resume = { key: last.key, id: last.document.id };
      return false;
    }
    this.#resume = undefined;
    return ++this.#range === this.#ranges.length;
  }

  /** The steps after the first, each in a read of its own; then the hits, in order. */
  async rest(read: ReadStep): Promise<Hit[]> {
    for (;;) {
      this.budget.check();
      if (await read((reads) => this.step(reads))) return this.ordered();
    }
  }

  /** The hits in the query's order: read forward they are; read backward, each key's run goes in id order. */
  ordered(): Hit[] {
    if (!this.#backward) return this.#hits;
    return this.#hits.sort((a, b) => (a.key !== b.key ? (a.key < b.key ? 1 : -1) : a.document.id < b.document.id ? -1 : 1));
  }
}

/**
 * How many documents match: from the index alone where its ranges decide the match. `askedAt` (performance.now()):
 * when the count was asked for, its time limit running from then.
 */
export async function countMatches(read: ReadStep, collection: string, spec: CountSpec, askedAt?: number): Promise<number> {
  const budget = new Budget(spec.maxTimeMs, askedAt);
  const plan = await read((reads) => reads.plan(collection, spec.filter, []));
  if (plan?.exact) return (await candidateIds(read, collection, plan, budget)).length;
  if (!plan && Object.keys(spec.filter).length === 0) return countAll(read, collection, budget);
  const matches: FilterMatcher = compileFilter(spec.filter);
  let count = 0;
  const countRow = (row: DocumentRow | undefined): void => {
    budget.documentsExamined++;
    if (row && matches(JSON.parse(row.data) as JsonObject)) count++;
  };
  if (plan) {
    const ids = await candidateIds(read, collection, plan, budget);
    for (let next = 0; next < ids.length; ) {
      budget.check();
      await read((reads) => {
        budget.startStep();
        for (const end = Math.min(next + STEP_ROWS, ids.length); next < end && !budget.stepOver; ) countRow(reads.document(collection, ids[next++]!));
      });
    }
    return count;
  }
  let afterId = '';
  for (;;) {
    budget.check();
    const done = await read((reads) => {
      const { rows, resumeAfter } = reads.documentsAfter(collection, spec.filter, afterId);
      budget.startStep();
      for (const row of rows) {
        countRow(row);
        afterId = row.id;
        if (budget.stepOver) return false;
      }
      if (resumeAfter === undefined) return true;
      afterId = resumeAfter;
      return false;
    });
    if (done) return count;
  }
}

/** Every document of the collection, counted a window at a time: one count(*) of a large collection holds the process. */
async function countAll(read: ReadStep, collection: string, budget: Budget): Promise<number> {
  let count = 0;
  let afterId: string | undefined = '';
  while (afterId !== undefined) {
    budget.check();
    const window = await read((reads) => reads.countWindow(collection, afterId!));
    count += window.count;
    afterId = window.resumeAfter;
  }
  return count;
}
