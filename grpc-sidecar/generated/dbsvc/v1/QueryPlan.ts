// Original file: proto/database_service.proto

import type { Long } from '@grpc/proto-loader';

export interface QueryPlan {
  /**
   * Empty when the query scanned the collection.
   */
  'index'?: (string);
  'keys_examined'?: (number | string | Long);
  'documents_examined'?: (number | string | Long);
  'returned'?: (number | string | Long);
  'duration_ms'?: (number | string);
}

export interface QueryPlan__Output {
  /**
   * Empty when the query scanned the collection.
   */
  'index': (string);
  'keys_examined': (string);
  'documents_examined': (string);
  'returned': (string);
  'duration_ms': (number);
}
