import type { Document } from '../../domain/document.js';
import { storedDataJson } from '../../domain/stored-document.js';

/**
 * A document's JSON, as JSON.stringify writes a document the store made: when the store kept its data's
 * stored text, that text goes in as it is, so a document read only to be answered is not parsed and
 * serialized again.
 */
export function documentJson(document: Document): string {
  const dataJson = storedDataJson(document);
  if (dataJson === undefined) return JSON.stringify(document);
  const { id, collection, version, createdAt, updatedAt } = document;
  const head = `{"id":${JSON.stringify(id)},"collection":${JSON.stringify(collection)},"version":${version}`;
  return `${head},"createdAt":${JSON.stringify(createdAt)},"updatedAt":${JSON.stringify(updatedAt)},"data":${dataJson}}`;
}

/** The body of a query's answer: `{"documents":[…],"nextCursor":…}`. */
export function queryPageJson(page: { readonly documents: readonly Document[]; readonly nextCursor: string | null }): string {
  return `{"documents":[${page.documents.map(documentJson).join(',')}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}
