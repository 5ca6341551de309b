// Original file: proto/database_service.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct.js';

export interface QueryDocumentsRequest {
  'collection'?: (string);
  /**
   * MongoDB query language over data fields (dotted paths).
   */
  'filter'?: (_google_protobuf_Struct | null);
  /**
   * {"field": 1 | -1}; ties broken by id.
   */
  'sort'?: (_google_protobuf_Struct | null);
  /**
   * 1..1000; 0 = the default (100).
   */
  'limit'?: (number);
  /**
   * Opaque, from next_cursor of the previous page.
   */
  'cursor'?: (string);
  /**
   * Projection of data fields; empty = all.
   */
  'fields'?: (string)[];
  /**
   * Answer with the plan instead of the documents.
   */
  'explain'?: (boolean);
  /**
   * Stop with DEADLINE_EXCEEDED past this many milliseconds; 0 = the configured default.
   */
  'max_time_ms'?: (number);
}

export interface QueryDocumentsRequest__Output {
  'collection': (string);
  /**
   * MongoDB query language over data fields (dotted paths).
   */
  'filter': (_google_protobuf_Struct__Output | null);
  /**
   * {"field": 1 | -1}; ties broken by id.
   */
  'sort': (_google_protobuf_Struct__Output | null);
  /**
   * 1..1000; 0 = the default (100).
   */
  'limit': (number);
  /**
   * Opaque, from next_cursor of the previous page.
   */
  'cursor': (string);
  /**
   * Projection of data fields; empty = all.
   */
  'fields': (string)[];
  /**
   * Answer with the plan instead of the documents.
   */
  'explain': (boolean);
  /**
   * Stop with DEADLINE_EXCEEDED past this many milliseconds; 0 = the configured default.
   */
  'max_time_ms': (number);
}
