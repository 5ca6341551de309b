// Original file: proto/database_service.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct.js';
import type { SortKey as _dbsvc_v1_SortKey, SortKey__Output as _dbsvc_v1_SortKey__Output } from '../../dbsvc/v1/SortKey.js';

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
  /**
   * The sort as an ordered list, instead of `sort`: a Struct is a map, whose order many clients (Go's among
   * them) do not keep, so a sort on more than one field is only certain this way.
   */
  'sort_keys'?: (_dbsvc_v1_SortKey)[];
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
  /**
   * The sort as an ordered list, instead of `sort`: a Struct is a map, whose order many clients (Go's among
   * them) do not keep, so a sort on more than one field is only certain this way.
   */
  'sort_keys': (_dbsvc_v1_SortKey__Output)[];
}
