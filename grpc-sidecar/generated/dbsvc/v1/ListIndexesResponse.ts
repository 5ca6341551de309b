// Original file: proto/database_service.proto

import type { Index as _dbsvc_v1_Index, Index__Output as _dbsvc_v1_Index__Output } from '../../dbsvc/v1/Index.js';

export interface ListIndexesResponse {
  'indexes'?: (_dbsvc_v1_Index)[];
}

export interface ListIndexesResponse__Output {
  'indexes': (_dbsvc_v1_Index__Output)[];
}
