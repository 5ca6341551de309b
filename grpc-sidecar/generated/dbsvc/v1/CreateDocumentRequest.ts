// Original file: proto/database_service.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct.js';

export interface CreateDocumentRequest {
  'collection'?: (string);
  /**
   * Generated when empty.
   */
  'id'?: (string);
  'data'?: (_google_protobuf_Struct | null);
  /**
   * Optional; makes the call safe to retry.
   */
  'idempotency_key'?: (string);
}

export interface CreateDocumentRequest__Output {
  'collection': (string);
  /**
   * Generated when empty.
   */
  'id': (string);
  'data': (_google_protobuf_Struct__Output | null);
  /**
   * Optional; makes the call safe to retry.
   */
  'idempotency_key': (string);
}
