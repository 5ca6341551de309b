// Original file: proto/database_service.proto

import type { BatchItemResult as _dbsvc_v1_BatchItemResult, BatchItemResult__Output as _dbsvc_v1_BatchItemResult__Output } from '../../dbsvc/v1/BatchItemResult.js';

export interface BatchCreateDocumentsResponse {
  'results'?: (_dbsvc_v1_BatchItemResult)[];
}

export interface BatchCreateDocumentsResponse__Output {
  'results': (_dbsvc_v1_BatchItemResult__Output)[];
}
