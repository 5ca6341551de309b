// Original file: proto/database_service.proto


export interface DropIndexRequest {
  'collection'?: (string);
  'name'?: (string);
}

export interface DropIndexRequest__Output {
  'collection': (string);
  'name': (string);
}
