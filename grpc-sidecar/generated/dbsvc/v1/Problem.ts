// Original file: proto/database_service.proto


/**
 * A failed item's problem, as problem+json says it over REST.
 */
export interface Problem {
  'type'?: (string);
  'title'?: (string);
  'status'?: (number);
  'detail'?: (string);
}

/**
 * A failed item's problem, as problem+json says it over REST.
 */
export interface Problem__Output {
  'type': (string);
  'title': (string);
  'status': (number);
  'detail': (string);
}
