import type * as grpc from '@grpc/grpc-js';
import type { EnumTypeDefinition, MessageTypeDefinition } from '@grpc/proto-loader';

import type { BatchCreateDocumentsRequest as _dbsvc_v1_BatchCreateDocumentsRequest, BatchCreateDocumentsRequest__Output as _dbsvc_v1_BatchCreateDocumentsRequest__Output } from './dbsvc/v1/BatchCreateDocumentsRequest.js';
import type { BatchCreateDocumentsResponse as _dbsvc_v1_BatchCreateDocumentsResponse, BatchCreateDocumentsResponse__Output as _dbsvc_v1_BatchCreateDocumentsResponse__Output } from './dbsvc/v1/BatchCreateDocumentsResponse.js';
import type { BatchCreateItem as _dbsvc_v1_BatchCreateItem, BatchCreateItem__Output as _dbsvc_v1_BatchCreateItem__Output } from './dbsvc/v1/BatchCreateItem.js';
import type { BatchDeleteDocumentsRequest as _dbsvc_v1_BatchDeleteDocumentsRequest, BatchDeleteDocumentsRequest__Output as _dbsvc_v1_BatchDeleteDocumentsRequest__Output } from './dbsvc/v1/BatchDeleteDocumentsRequest.js';
import type { BatchDeleteDocumentsResponse as _dbsvc_v1_BatchDeleteDocumentsResponse, BatchDeleteDocumentsResponse__Output as _dbsvc_v1_BatchDeleteDocumentsResponse__Output } from './dbsvc/v1/BatchDeleteDocumentsResponse.js';
import type { BatchItemResult as _dbsvc_v1_BatchItemResult, BatchItemResult__Output as _dbsvc_v1_BatchItemResult__Output } from './dbsvc/v1/BatchItemResult.js';
import type { BatchUpdateDocumentsRequest as _dbsvc_v1_BatchUpdateDocumentsRequest, BatchUpdateDocumentsRequest__Output as _dbsvc_v1_BatchUpdateDocumentsRequest__Output } from './dbsvc/v1/BatchUpdateDocumentsRequest.js';
import type { BatchUpdateDocumentsResponse as _dbsvc_v1_BatchUpdateDocumentsResponse, BatchUpdateDocumentsResponse__Output as _dbsvc_v1_BatchUpdateDocumentsResponse__Output } from './dbsvc/v1/BatchUpdateDocumentsResponse.js';
import type { CountDocumentsRequest as _dbsvc_v1_CountDocumentsRequest, CountDocumentsRequest__Output as _dbsvc_v1_CountDocumentsRequest__Output } from './dbsvc/v1/CountDocumentsRequest.js';
import type { CountDocumentsResponse as _dbsvc_v1_CountDocumentsResponse, CountDocumentsResponse__Output as _dbsvc_v1_CountDocumentsResponse__Output } from './dbsvc/v1/CountDocumentsResponse.js';
import type { CreateDocumentRequest as _dbsvc_v1_CreateDocumentRequest, CreateDocumentRequest__Output as _dbsvc_v1_CreateDocumentRequest__Output } from './dbsvc/v1/CreateDocumentRequest.js';
import type { CreateIndexRequest as _dbsvc_v1_CreateIndexRequest, CreateIndexRequest__Output as _dbsvc_v1_CreateIndexRequest__Output } from './dbsvc/v1/CreateIndexRequest.js';
import type { CreateIndexResponse as _dbsvc_v1_CreateIndexResponse, CreateIndexResponse__Output as _dbsvc_v1_CreateIndexResponse__Output } from './dbsvc/v1/CreateIndexResponse.js';
import type { DeleteDocumentRequest as _dbsvc_v1_DeleteDocumentRequest, DeleteDocumentRequest__Output as _dbsvc_v1_DeleteDocumentRequest__Output } from './dbsvc/v1/DeleteDocumentRequest.js';
import type { Document as _dbsvc_v1_Document, Document__Output as _dbsvc_v1_Document__Output } from './dbsvc/v1/Document.js';
import type { DocumentServiceClient as _dbsvc_v1_DocumentServiceClient, DocumentServiceDefinition as _dbsvc_v1_DocumentServiceDefinition } from './dbsvc/v1/DocumentService.js';
import type { DropIndexRequest as _dbsvc_v1_DropIndexRequest, DropIndexRequest__Output as _dbsvc_v1_DropIndexRequest__Output } from './dbsvc/v1/DropIndexRequest.js';
import type { GetDocumentRequest as _dbsvc_v1_GetDocumentRequest, GetDocumentRequest__Output as _dbsvc_v1_GetDocumentRequest__Output } from './dbsvc/v1/GetDocumentRequest.js';
import type { Index as _dbsvc_v1_Index, Index__Output as _dbsvc_v1_Index__Output } from './dbsvc/v1/Index.js';
import type { IndexKey as _dbsvc_v1_IndexKey, IndexKey__Output as _dbsvc_v1_IndexKey__Output } from './dbsvc/v1/IndexKey.js';
import type { ListIndexesRequest as _dbsvc_v1_ListIndexesRequest, ListIndexesRequest__Output as _dbsvc_v1_ListIndexesRequest__Output } from './dbsvc/v1/ListIndexesRequest.js';
import type { ListIndexesResponse as _dbsvc_v1_ListIndexesResponse, ListIndexesResponse__Output as _dbsvc_v1_ListIndexesResponse__Output } from './dbsvc/v1/ListIndexesResponse.js';
import type { Problem as _dbsvc_v1_Problem, Problem__Output as _dbsvc_v1_Problem__Output } from './dbsvc/v1/Problem.js';
import type { QueryDocumentsRequest as _dbsvc_v1_QueryDocumentsRequest, QueryDocumentsRequest__Output as _dbsvc_v1_QueryDocumentsRequest__Output } from './dbsvc/v1/QueryDocumentsRequest.js';
import type { QueryDocumentsResponse as _dbsvc_v1_QueryDocumentsResponse, QueryDocumentsResponse__Output as _dbsvc_v1_QueryDocumentsResponse__Output } from './dbsvc/v1/QueryDocumentsResponse.js';
import type { QueryPlan as _dbsvc_v1_QueryPlan, QueryPlan__Output as _dbsvc_v1_QueryPlan__Output } from './dbsvc/v1/QueryPlan.js';
import type { SortKey as _dbsvc_v1_SortKey, SortKey__Output as _dbsvc_v1_SortKey__Output } from './dbsvc/v1/SortKey.js';
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
      BatchCreateDocumentsRequest: MessageTypeDefinition<_dbsvc_v1_BatchCreateDocumentsRequest, _dbsvc_v1_BatchCreateDocumentsRequest__Output>
      BatchCreateDocumentsResponse: MessageTypeDefinition<_dbsvc_v1_BatchCreateDocumentsResponse, _dbsvc_v1_BatchCreateDocumentsResponse__Output>
      BatchCreateItem: MessageTypeDefinition<_dbsvc_v1_BatchCreateItem, _dbsvc_v1_BatchCreateItem__Output>
      BatchDeleteDocumentsRequest: MessageTypeDefinition<_dbsvc_v1_BatchDeleteDocumentsRequest, _dbsvc_v1_BatchDeleteDocumentsRequest__Output>
      BatchDeleteDocumentsResponse: MessageTypeDefinition<_dbsvc_v1_BatchDeleteDocumentsResponse, _dbsvc_v1_BatchDeleteDocumentsResponse__Output>
      BatchItemResult: MessageTypeDefinition<_dbsvc_v1_BatchItemResult, _dbsvc_v1_BatchItemResult__Output>
      BatchUpdateDocumentsRequest: MessageTypeDefinition<_dbsvc_v1_BatchUpdateDocumentsRequest, _dbsvc_v1_BatchUpdateDocumentsRequest__Output>
      BatchUpdateDocumentsResponse: MessageTypeDefinition<_dbsvc_v1_BatchUpdateDocumentsResponse, _dbsvc_v1_BatchUpdateDocumentsResponse__Output>
      CountDocumentsRequest: MessageTypeDefinition<_dbsvc_v1_CountDocumentsRequest, _dbsvc_v1_CountDocumentsRequest__Output>
      CountDocumentsResponse: MessageTypeDefinition<_dbsvc_v1_CountDocumentsResponse, _dbsvc_v1_CountDocumentsResponse__Output>
      CreateDocumentRequest: MessageTypeDefinition<_dbsvc_v1_CreateDocumentRequest, _dbsvc_v1_CreateDocumentRequest__Output>
      CreateIndexRequest: MessageTypeDefinition<_dbsvc_v1_CreateIndexRequest, _dbsvc_v1_CreateIndexRequest__Output>
      CreateIndexResponse: MessageTypeDefinition<_dbsvc_v1_CreateIndexResponse, _dbsvc_v1_CreateIndexResponse__Output>
      DeleteDocumentRequest: MessageTypeDefinition<_dbsvc_v1_DeleteDocumentRequest, _dbsvc_v1_DeleteDocumentRequest__Output>
      Document: MessageTypeDefinition<_dbsvc_v1_Document, _dbsvc_v1_Document__Output>
      DocumentService: SubtypeConstructor<typeof grpc.Client, _dbsvc_v1_DocumentServiceClient> & { service: _dbsvc_v1_DocumentServiceDefinition }
      DropIndexRequest: MessageTypeDefinition<_dbsvc_v1_DropIndexRequest, _dbsvc_v1_DropIndexRequest__Output>
      GetDocumentRequest: MessageTypeDefinition<_dbsvc_v1_GetDocumentRequest, _dbsvc_v1_GetDocumentRequest__Output>
      Index: MessageTypeDefinition<_dbsvc_v1_Index, _dbsvc_v1_Index__Output>
      IndexKey: MessageTypeDefinition<_dbsvc_v1_IndexKey, _dbsvc_v1_IndexKey__Output>
      ListIndexesRequest: MessageTypeDefinition<_dbsvc_v1_ListIndexesRequest, _dbsvc_v1_ListIndexesRequest__Output>
      ListIndexesResponse: MessageTypeDefinition<_dbsvc_v1_ListIndexesResponse, _dbsvc_v1_ListIndexesResponse__Output>
      Problem: MessageTypeDefinition<_dbsvc_v1_Problem, _dbsvc_v1_Problem__Output>
      QueryDocumentsRequest: MessageTypeDefinition<_dbsvc_v1_QueryDocumentsRequest, _dbsvc_v1_QueryDocumentsRequest__Output>
      QueryDocumentsResponse: MessageTypeDefinition<_dbsvc_v1_QueryDocumentsResponse, _dbsvc_v1_QueryDocumentsResponse__Output>
      QueryPlan: MessageTypeDefinition<_dbsvc_v1_QueryPlan, _dbsvc_v1_QueryPlan__Output>
      SortKey: MessageTypeDefinition<_dbsvc_v1_SortKey, _dbsvc_v1_SortKey__Output>
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

