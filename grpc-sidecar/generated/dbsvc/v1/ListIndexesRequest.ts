// Original file: proto/database_service.proto


export interface ListIndexesRequest {
  'collection'?: (string);
}

export interface ListIndexesRequest__Output {
  'collection': (string);
}
