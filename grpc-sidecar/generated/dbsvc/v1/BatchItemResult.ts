// Original file: proto/database_service.proto

import type { Problem as _dbsvc_v1_Problem, Problem__Output as _dbsvc_v1_Problem__Output } from '../../dbsvc/v1/Problem.js';
import type { Long } from '@grpc/proto-loader';

export interface BatchItemResult {
  /**
   * The HTTP status the item would have had alone (201, 409, 424, ...).
   */
  'status'?: (number);
  'id'?: (string);
  'version'?: (number | string | Long);
  /**
   * Set when the item failed.
   */
  'problem'?: (_dbsvc_v1_Problem | null);
}

export interface BatchItemResult__Output {
  /**
   * The HTTP status the item would have had alone (201, 409, 424, ...).
   */
  'status': (number);
  'id': (string);
  'version': (string);
  /**
   * Set when the item failed.
   */
  'problem': (_dbsvc_v1_Problem__Output | null);
}
