// Original file: proto/database_service.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct.js';

export interface BatchDeleteDocumentsRequest {
  'collection'?: (string);
  'filter'?: (_google_protobuf_Struct | null);
  /**
   * 0 = no limit beyond the query time limit.
   */
  'limit'?: (number);
}

export interface BatchDeleteDocumentsRequest__Output {
  'collection': (string);
  'filter': (_google_protobuf_Struct__Output | null);
  /**
   * 0 = no limit beyond the query time limit.
   */
  'limit': (number);
}
