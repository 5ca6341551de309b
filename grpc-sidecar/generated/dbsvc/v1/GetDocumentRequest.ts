// Original file: proto/database_service.proto


export interface GetDocumentRequest {
  'collection'?: (string);
  'id'?: (string);
}

export interface GetDocumentRequest__Output {
  'collection': (string);
  'id': (string);
}
