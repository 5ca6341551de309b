// Original file: proto/database_service.proto

import type { Long } from '@grpc/proto-loader';

export interface CountDocumentsResponse {
  'count'?: (number | string | Long);
}

export interface CountDocumentsResponse__Output {
  'count': (string);
}
