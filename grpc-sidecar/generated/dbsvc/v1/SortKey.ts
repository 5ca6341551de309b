// Original file: proto/database_service.proto


export interface SortKey {
  /**
   * A dotted path inside data.
   */
  'path'?: (string);
  /**
   * 1 ascending, -1 descending.
   */
  'direction'?: (number);
}

export interface SortKey__Output {
  /**
   * A dotted path inside data.
   */
  'path': (string);
  /**
   * 1 ascending, -1 descending.
   */
  'direction': (number);
}
