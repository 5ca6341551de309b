// Original file: proto/database_service.proto

import type { Index as _dbsvc_v1_Index, Index__Output as _dbsvc_v1_Index__Output } from '../../dbsvc/v1/Index.js';

export interface CreateIndexRequest {
  'collection'?: (string);
  'index'?: (_dbsvc_v1_Index | null);
}

export interface CreateIndexRequest__Output {
  'collection': (string);
  'index': (_dbsvc_v1_Index__Output | null);
}
