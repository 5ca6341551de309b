import type { Document } from '../../domain/document.js';
import { etagOf } from '../../domain/values.js';
import { documentJson } from './document-json.js';

/** A document as the contract answers it: JSON body with its version as the ETag. */
export function documentResponse(document: Document, status: number, headers: Record<string, string> = {}): Response {
  return new Response(documentJson(document), {
    status,
    headers: { 'Content-Type': 'application/json', ETag: etagOf(document.version), ...headers },
  });
}

/** The `Location` of a created document. */
export function documentLocation(document: Document): string {
  return `/v1/collections/${document.collection}/documents/${encodeURIComponent(document.id)}`;
}
