// Original file: proto/database_service.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct.js';

export interface BatchCreateItem {
  /**
   * Generated when empty.
   */
  'id'?: (string);
  'data'?: (_google_protobuf_Struct | null);
}

export interface BatchCreateItem__Output {
  /**
   * Generated when empty.
   */
  'id': (string);
  'data': (_google_protobuf_Struct__Output | null);
}
