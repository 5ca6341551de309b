// Original file: proto/database_service.proto

import type { Long } from '@grpc/proto-loader';

export interface BatchUpdateDocumentsResponse {
  'matched'?: (number | string | Long);
  'modified'?: (number | string | Long);
}

export interface BatchUpdateDocumentsResponse__Output {
  'matched': (string);
  'modified': (string);
}
