// Original file: proto/database_service.proto

import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from '../../google/protobuf/Struct.js';
import type { Long } from '@grpc/proto-loader';

export interface UpdateDocumentRequest {
  'collection'?: (string);
  'id'?: (string);
  /**
   * Replaces data.
   */
  'data'?: (_google_protobuf_Struct | null);
  /**
   * RFC 7386 merge patch on data: null members delete keys.
   */
  'merge_patch'?: (_google_protobuf_Struct | null);
  /**
   * 0 = unconditional.
   */
  'expected_version'?: (number | string | Long);
  /**
   * MongoDB update operators ({"$inc": {"n": 1}}), applied atomically.
   */
  'update'?: (_google_protobuf_Struct | null);
  /**
   * With data and expected_version 0: create the document when it is absent.
   */
  'upsert'?: (boolean);
  'change'?: "data"|"merge_patch"|"update";
}

export interface UpdateDocumentRequest__Output {
  'collection': (string);
  'id': (string);
  /**
   * Replaces data.
   */
  'data'?: (_google_protobuf_Struct__Output | null);
  /**
   * RFC 7386 merge patch on data: null members delete keys.
   */
  'merge_patch'?: (_google_protobuf_Struct__Output | null);
  /**
   * 0 = unconditional.
   */
  'expected_version': (string);
  /**
   * MongoDB update operators ({"$inc": {"n": 1}}), applied atomically.
   */
  'update'?: (_google_protobuf_Struct__Output | null);
  /**
   * With data and expected_version 0: create the document when it is absent.
   */
  'upsert': (boolean);
  'change'?: "data"|"merge_patch"|"update";
}
