// Original file: proto/database_service.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteDocumentRequest {
  'collection'?: (string);
  'id'?: (string);
  /**
   * 0 = unconditional.
   */
  'expected_version'?: (number | string | Long);
}

export interface DeleteDocumentRequest__Output {
  'collection': (string);
  'id': (string);
  /**
   * 0 = unconditional.
   */
  'expected_version': (string);
}
