import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { CreateDocumentRequest as _dbsvc_v1_CreateDocumentRequest, CreateDocumentRequest__Output as _dbsvc_v1_CreateDocumentRequest__Output } from './dbsvc/v1/CreateDocumentRequest.js';
import type { DeleteDocumentRequest as _dbsvc_v1_DeleteDocumentRequest, DeleteDocumentRequest__Output as _dbsvc_v1_DeleteDocumentRequest__Output } from './dbsvc/v1/DeleteDocumentRequest.js';
import type { Document as _dbsvc_v1_Document, Document__Output as _dbsvc_v1_Document__Output } from './dbsvc/v1/Document.js';
import type { DocumentServiceClient as _dbsvc_v1_DocumentServiceClient, DocumentServiceDefinition as _dbsvc_v1_DocumentServiceDefinition } from './dbsvc/v1/DocumentService.js';
import type { GetDocumentRequest as _dbsvc_v1_GetDocumentRequest, GetDocumentRequest__Output as _dbsvc_v1_GetDocumentRequest__Output } from './dbsvc/v1/GetDocumentRequest.js';
import type { QueryDocumentsRequest as _dbsvc_v1_QueryDocumentsRequest, QueryDocumentsRequest__Output as _dbsvc_v1_QueryDocumentsRequest__Output } from './dbsvc/v1/QueryDocumentsRequest.js';
import type { QueryDocumentsResponse as _dbsvc_v1_QueryDocumentsResponse, QueryDocumentsResponse__Output as _dbsvc_v1_QueryDocumentsResponse__Output } from './dbsvc/v1/QueryDocumentsResponse.js';
import type { UpdateDocumentRequest as _dbsvc_v1_UpdateDocumentRequest, UpdateDocumentRequest__Output as _dbsvc_v1_UpdateDocumentRequest__Output } from './dbsvc/v1/UpdateDocumentRequest.js';
import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from './google/protobuf/Empty.js';
import type { ListValue as _google_protobuf_ListValue, ListValue__Output as _google_protobuf_ListValue__Output } from './google/protobuf/ListValue.js';
import type { Struct as _google_protobuf_Struct, Struct__Output as _google_protobuf_Struct__Output } from './google/protobuf/Struct.js';
import type { Timestamp as _google_protobuf_Timestamp, Timestamp__Output as _google_protobuf_Timestamp__Output } from './google/protobuf/Timestamp.js';
import type { Value as _google_protobuf_Value, Value__Output as _google_protobuf_Value__Output } from './google/protobuf/Value.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  dbsvc: {
    v1: {
      CreateDocumentRequest: MessageTypeDefinition<_dbsvc_v1_CreateDocumentRequest, _dbsvc_v1_CreateDocumentRequest__Output>
      DeleteDocumentRequest: MessageTypeDefinition<_dbsvc_v1_DeleteDocumentRequest, _dbsvc_v1_DeleteDocumentRequest__Output>
      Document: MessageTypeDefinition<_dbsvc_v1_Document, _dbsvc_v1_Document__Output>
      DocumentService: SubtypeConstructor<typeof grpc.Client, _dbsvc_v1_DocumentServiceClient> & { service: _dbsvc_v1_DocumentServiceDefinition }
      GetDocumentRequest: MessageTypeDefinition<_dbsvc_v1_GetDocumentRequest, _dbsvc_v1_GetDocumentRequest__Output>
      QueryDocumentsRequest: MessageTypeDefinition<_dbsvc_v1_QueryDocumentsRequest, _dbsvc_v1_QueryDocumentsRequest__Output>
      QueryDocumentsResponse: MessageTypeDefinition<_dbsvc_v1_QueryDocumentsResponse, _dbsvc_v1_QueryDocumentsResponse__Output>
      UpdateDocumentRequest: MessageTypeDefinition<_dbsvc_v1_UpdateDocumentRequest, _dbsvc_v1_UpdateDocumentRequest__Output>
    }
  }
  google: {
    protobuf: {
      Empty: MessageTypeDefinition<_google_protobuf_Empty, _google_protobuf_Empty__Output>
      ListValue: MessageTypeDefinition<_google_protobuf_ListValue, _google_protobuf_ListValue__Output>
      NullValue: EnumTypeDefinition
      Struct: MessageTypeDefinition<_google_protobuf_Struct, _google_protobuf_Struct__Output>
      Timestamp: MessageTypeDefinition<_google_protobuf_Timestamp, _google_protobuf_Timestamp__Output>
      Value: MessageTypeDefinition<_google_protobuf_Value, _google_protobuf_Value__Output>
    }
  }
}

