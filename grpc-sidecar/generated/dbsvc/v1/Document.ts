// Original file: proto/database_service.proto

import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from '../../google/protobuf/Timestamp.js';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct.js';
import type { Long } from '@grpc/proto-loader';

export interface Document {
  'id'?: (string);
  'collection'?: (string);
  /**
   * Starts at 1 and grows by exactly 1 on every change (optimistic locking).
   */
  'version'?: (number | string | Long);
  'create_time'?: (_google_protobuf_Timestamp | null);
  'update_time'?: (_google_protobuf_Timestamp | null);
  'data'?: (_google_protobuf_Struct | null);
}

export interface Document__Output {
  'id': (string);
  'collection': (string);
  /**
   * Starts at 1 and grows by exactly 1 on every change (optimistic locking).
   */
  'version': (string);
  'create_time': (_google_protobuf_Timestamp__Output | null);
  'update_time': (_google_protobuf_Timestamp__Output | null);
  'data': (_google_protobuf_Struct__Output | null);
}
