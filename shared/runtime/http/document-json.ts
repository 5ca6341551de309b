import type { Document } from '../../domain/document.js';
import { storedDataJson } from '../../domain/stored-document.js';

/**
 * A document's JSON, as JSON.stringify writes a document the store made: when the store kept its data's
 * stored text, that text goes in as it is, so a document read only to be answered is not parsed and
 * serialized again. The other fields of a stored document are written without JSON.stringify: its id and
 * collection passed their rules when it was written (letters, digits and `_.:-`, see values.ts) and its times
 * are ISO strings, so none holds a character JSON escapes (half the cost of a 20-document page).
 */
export function documentJson(document: Document): string {
  const dataJson = storedDataJson(document);
  if (dataJson === undefined) return JSON.stringify(document);
  const { id, collection, version, createdAt, updatedAt } = document;
  return `{"id":"${id}","collection":"${collection}","version":${version},"createdAt":"${createdAt}","updatedAt":"${updatedAt}","data":${dataJson}}`;
}

/** The body of a query's answer: `{"documents":[…],"nextCursor":…}`. */
export function queryPageJson(page: { readonly documents: readonly Document[]; readonly nextCursor: string | null }): string {
  let documents = '';
  for (const document of page.documents) documents += `${documents ? ',' : ''}${documentJson(document)}`;
  return `{"documents":[${documents}],"nextCursor":${JSON.stringify(page.nextCursor)}}`;
}
