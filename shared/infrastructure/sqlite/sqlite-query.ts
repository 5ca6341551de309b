import type { Database, Statement } from 'better-sqlite3';
import type { Document, JsonObject } from '../../domain/document.js';
import type { QueryResult, QuerySpec } from '../../domain/ports.js';
import {
  compileFilter,
  comparePositions,
  projectData,
  sortKeyOf,
  type FilterMatcher,
  type SortPosition,
} from '../../domain/query/index.js';
import { supersetCondition } from './prefilter.js';
import { DOCUMENT_COLUMNS, toDocument, type DocumentRow } from './rows.js';
import { TopK } from './top-k.js';

/** Distinct query shapes whose statements are kept prepared; past this the cache starts over. */
const STATEMENT_CACHE_SIZE = 64;

interface Hit {
  readonly row: DocumentRow;
  readonly data: JsonObject;
  readonly position: SortPosition;
}

/**
 * Runs a query with the domain's matcher, sort order and projection as the only semantics; SQL narrows the
 * rows read (collection, id range, a superset prefilter) but never decides a match on its own.
 */
export class QueryRunner {
  readonly #statements = new Map<string, Statement<unknown[], DocumentRow>>();

  constructor(private readonly db: Database) {}

  run(collection: string, spec: QuerySpec): QueryResult {
    const matches = compileFilter(spec.filter);
    const hits =
      spec.sort.length === 0
        ? this.#firstInIdOrder(collection, spec, matches)
        : this.#firstInSortOrder(collection, spec, matches);
    const page = hits.slice(0, spec.limit);
    const last = page.at(-1);
    const more = hits.length > spec.limit && last !== undefined;
    const fields = spec.fields;
    const documents: Document[] = page.map((hit) =>
      toDocument(hit.row, fields === undefined ? hit.data : projectData(hit.data, fields)),
    );
    return { documents, next: more ? last.position : null };
  }

  /** Id order is the primary key's order: read forward from the cursor and stop after limit + 1 matches. */
  #firstInIdOrder(collection: string, spec: QuerySpec, matches: FilterMatcher): Hit[] {
    const hits: Hit[] = [];
    const after = spec.after?.id;
    for (const row of this.#rows(collection, spec, after)) {
      const data = JSON.parse(row.data) as JsonObject;
      if (!matches(data)) continue;
      hits.push({ row, data, position: { values: sortKeyOf(data, spec.sort), id: row.id } });
      if (hits.length > spec.limit) break;
    }
    return hits;
  }

  /** Any other order: scan the collection's candidates, keeping only the best limit + 1 past the cursor. */
  #firstInSortOrder(collection: string, spec: QuerySpec, matches: FilterMatcher): Hit[] {
    const byPosition = (a: Hit, b: Hit): number => comparePositions(a.position, b.position, spec.sort);
    const best = new TopK<Hit>(spec.limit + 1, byPosition);
    for (const row of this.#rows(collection, spec, undefined)) {
      const data = JSON.parse(row.data) as JsonObject;
      if (!matches(data)) continue;
      const position = { values: sortKeyOf(data, spec.sort), id: row.id };
      if (spec.after && comparePositions(position, spec.after, spec.sort) <= 0) continue;
      best.offer({ row, data, position });
    }
    return best.sorted();
  }

  #rows(collection: string, spec: QuerySpec, afterId: string | undefined): IterableIterator<DocumentRow> {
    const clauses = ['collection = ?'];
    const params: unknown[] = [collection];
    if (afterId !== undefined) {
      clauses.push('id > ?');
      params.push(afterId);
    }
    const prefilter = supersetCondition(spec.filter);
    if (prefilter) {
      clauses.push(prefilter.sql);
      params.push(...prefilter.params);
    }
    const order = spec.sort.length === 0 ? ' ORDER BY id' : '';
    return this.#prepared(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE ${clauses.join(' AND ')}${order}`).iterate(
      ...params,
    );
  }

  #prepared(sql: string): Statement<unknown[], DocumentRow> {
    let statement = this.#statements.get(sql);
    if (!statement) {
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.clear();
      statement = this.db.prepare<unknown[], DocumentRow>(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }
}
