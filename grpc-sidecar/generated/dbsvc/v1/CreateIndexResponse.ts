// Original file: proto/database_service.proto

import type { Index as _dbsvc_v1_Index, Index__Output as _dbsvc_v1_Index__Output } from '../../dbsvc/v1/Index.js';

export interface CreateIndexResponse {
  'index'?: (_dbsvc_v1_Index | null);
  /**
   * False when the same definition already existed.
   */
  'created'?: (boolean);
}

export interface CreateIndexResponse__Output {
  'index': (_dbsvc_v1_Index__Output | null);
  /**
   * False when the same definition already existed.
   */
  'created': (boolean);
}
