// Original file: proto/database_service.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct.js';

export interface CountDocumentsRequest {
  'collection'?: (string);
  'filter'?: (_google_protobuf_Struct | null);
  /**
   * 0 = the configured default.
   */
  'max_time_ms'?: (number);
}

export interface CountDocumentsRequest__Output {
  'collection': (string);
  'filter': (_google_protobuf_Struct__Output | null);
  /**
   * 0 = the configured default.
   */
  'max_time_ms': (number);
}
