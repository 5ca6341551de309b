// Original file: proto/database_service.proto


export interface IndexKey {
  /**
   * A dotted path inside data.
   */
  'path'?: (string);
  /**
   * 1 ascending, -1 descending.
   */
  'direction'?: (number);
}

export interface IndexKey__Output {
  /**
   * A dotted path inside data.
   */
  'path': (string);
  /**
   * 1 ascending, -1 descending.
   */
  'direction': (number);
}
