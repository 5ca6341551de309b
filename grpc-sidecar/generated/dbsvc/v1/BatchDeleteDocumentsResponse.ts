// Original file: proto/database_service.proto

import type { Long } from '@grpc/proto-loader';

export interface BatchDeleteDocumentsResponse {
  'deleted'?: (number | string | Long);
}

export interface BatchDeleteDocumentsResponse__Output {
  'deleted': (string);
}
