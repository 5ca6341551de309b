// Original file: proto/database_service.proto

import type { Document as _dbsvc_v1_Document, Document__Output as _dbsvc_v1_Document__Output } from '../../dbsvc/v1/Document.js';
import type { QueryPlan as _dbsvc_v1_QueryPlan, QueryPlan__Output as _dbsvc_v1_QueryPlan__Output } from '../../dbsvc/v1/QueryPlan.js';

export interface QueryDocumentsResponse {
  'documents'?: (_dbsvc_v1_Document)[];
  /**
   * Empty on the last page.
   */
  'next_cursor'?: (string);
  /**
   * Set when the request asked to explain.
   */
  'plan'?: (_dbsvc_v1_QueryPlan | null);
}

export interface QueryDocumentsResponse__Output {
  'documents': (_dbsvc_v1_Document__Output)[];
  /**
   * Empty on the last page.
   */
  'next_cursor': (string);
  /**
   * Set when the request asked to explain.
   */
  'plan': (_dbsvc_v1_QueryPlan__Output | null);
}
