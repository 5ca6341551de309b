// Original file: proto/database_service.proto

import type { Document as _dbsvc_v1_Document, Document__Output as _dbsvc_v1_Document__Output } from '../../dbsvc/v1/Document.js';

export interface QueryDocumentsResponse {
  'documents'?: (_dbsvc_v1_Document)[];
  /**
   * Empty on the last page.
   */
  'next_cursor'?: (string);
}

export interface QueryDocumentsResponse__Output {
  'documents': (_dbsvc_v1_Document__Output)[];
  /**
   * Empty on the last page.
   */
  'next_cursor': (string);
}
