// Original file: proto/database_service.proto

import type { IndexKey as _dbsvc_v1_IndexKey, IndexKey__Output as _dbsvc_v1_IndexKey__Output } from '../../dbsvc/v1/IndexKey.js';

export interface Index {
  'name'?: (string);
  /**
   * 1..16 keys, in order.
   */
  'keys'?: (_dbsvc_v1_IndexKey)[];
  'unique'?: (boolean);
}

export interface Index__Output {
  'name': (string);
  /**
   * 1..16 keys, in order.
   */
  'keys': (_dbsvc_v1_IndexKey__Output)[];
  'unique': (boolean);
}
