// Original file: proto/database_service.proto

import type { BatchCreateItem as _dbsvc_v1_BatchCreateItem, BatchCreateItem__Output as _dbsvc_v1_BatchCreateItem__Output } from '../../dbsvc/v1/BatchCreateItem.js';

export interface BatchCreateDocumentsRequest {
  'collection'?: (string);
  'documents'?: (_dbsvc_v1_BatchCreateItem)[];
  /**
   * Stop at the first failure (the default) and report later items as not attempted (424).
   */
  'ordered'?: (boolean);
  'idempotency_key'?: (string);
  '_ordered'?: "ordered";
}

export interface BatchCreateDocumentsRequest__Output {
  'collection': (string);
  'documents': (_dbsvc_v1_BatchCreateItem__Output)[];
  /**
   * Stop at the first failure (the default) and report later items as not attempted (424).
   */
  'ordered'?: (boolean);
  'idempotency_key': (string);
  '_ordered'?: "ordered";
}
