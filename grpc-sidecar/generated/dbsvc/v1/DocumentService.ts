// Original file: proto/database_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CreateDocumentRequest as _dbsvc_v1_CreateDocumentRequest, CreateDocumentRequest__Output as _dbsvc_v1_CreateDocumentRequest__Output } from '../../dbsvc/v1/CreateDocumentRequest.js';
import type { DeleteDocumentRequest as _dbsvc_v1_DeleteDocumentRequest, DeleteDocumentRequest__Output as _dbsvc_v1_DeleteDocumentRequest__Output } from '../../dbsvc/v1/DeleteDocumentRequest.js';
import type { Document as _dbsvc_v1_Document, Document__Output as _dbsvc_v1_Document__Output } from '../../dbsvc/v1/Document.js';
import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from '../../google/protobuf/Empty.js';
import type { GetDocumentRequest as _dbsvc_v1_GetDocumentRequest, GetDocumentRequest__Output as _dbsvc_v1_GetDocumentRequest__Output } from '../../dbsvc/v1/GetDocumentRequest.js';
import type { QueryDocumentsRequest as _dbsvc_v1_QueryDocumentsRequest, QueryDocumentsRequest__Output as _dbsvc_v1_QueryDocumentsRequest__Output } from '../../dbsvc/v1/QueryDocumentsRequest.js';
import type { QueryDocumentsResponse as _dbsvc_v1_QueryDocumentsResponse, QueryDocumentsResponse__Output as _dbsvc_v1_QueryDocumentsResponse__Output } from '../../dbsvc/v1/QueryDocumentsResponse.js';
import type { UpdateDocumentRequest as _dbsvc_v1_UpdateDocumentRequest, UpdateDocumentRequest__Output as _dbsvc_v1_UpdateDocumentRequest__Output } from '../../dbsvc/v1/UpdateDocumentRequest.js';

export interface DocumentServiceClient extends grpc.Client {
  /**
   * Stores a new document; ALREADY_EXISTS when the id is taken. A retry with the same idempotency_key
   * returns the same document.
   */
  CreateDocument(argument: _dbsvc_v1_CreateDocumentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  CreateDocument(argument: _dbsvc_v1_CreateDocumentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  CreateDocument(argument: _dbsvc_v1_CreateDocumentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  CreateDocument(argument: _dbsvc_v1_CreateDocumentRequest, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  /**
   * Stores a new document; ALREADY_EXISTS when the id is taken. A retry with the same idempotency_key
   * returns the same document.
   */
  createDocument(argument: _dbsvc_v1_CreateDocumentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  createDocument(argument: _dbsvc_v1_CreateDocumentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  createDocument(argument: _dbsvc_v1_CreateDocumentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  createDocument(argument: _dbsvc_v1_CreateDocumentRequest, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes one document; NOT_FOUND when it does not exist; ABORTED on a version mismatch.
   */
  DeleteDocument(argument: _dbsvc_v1_DeleteDocumentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  DeleteDocument(argument: _dbsvc_v1_DeleteDocumentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  DeleteDocument(argument: _dbsvc_v1_DeleteDocumentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  DeleteDocument(argument: _dbsvc_v1_DeleteDocumentRequest, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes one document; NOT_FOUND when it does not exist; ABORTED on a version mismatch.
   */
  deleteDocument(argument: _dbsvc_v1_DeleteDocumentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  deleteDocument(argument: _dbsvc_v1_DeleteDocumentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  deleteDocument(argument: _dbsvc_v1_DeleteDocumentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  deleteDocument(argument: _dbsvc_v1_DeleteDocumentRequest, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  
  /**
   * Reads one document; NOT_FOUND when it does not exist.
   */
  GetDocument(argument: _dbsvc_v1_GetDocumentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  GetDocument(argument: _dbsvc_v1_GetDocumentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  GetDocument(argument: _dbsvc_v1_GetDocumentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  GetDocument(argument: _dbsvc_v1_GetDocumentRequest, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  /**
   * Reads one document; NOT_FOUND when it does not exist.
   */
  getDocument(argument: _dbsvc_v1_GetDocumentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  getDocument(argument: _dbsvc_v1_GetDocumentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  getDocument(argument: _dbsvc_v1_GetDocumentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  getDocument(argument: _dbsvc_v1_GetDocumentRequest, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  
  /**
   * One page of a collection by a MongoDB-style filter over data, sorted, projected.
   */
  QueryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  QueryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  QueryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  QueryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One page of a collection by a MongoDB-style filter over data, sorted, projected.
   */
  queryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  queryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  queryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  queryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Replaces data or applies an RFC 7386 merge patch to it; never creates (NOT_FOUND); ABORTED when
   * expected_version is set and differs.
   */
  UpdateDocument(argument: _dbsvc_v1_UpdateDocumentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  UpdateDocument(argument: _dbsvc_v1_UpdateDocumentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  UpdateDocument(argument: _dbsvc_v1_UpdateDocumentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  UpdateDocument(argument: _dbsvc_v1_UpdateDocumentRequest, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  /**
   * Replaces data or applies an RFC 7386 merge patch to it; never creates (NOT_FOUND); ABORTED when
   * expected_version is set and differs.
   */
  updateDocument(argument: _dbsvc_v1_UpdateDocumentRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  updateDocument(argument: _dbsvc_v1_UpdateDocumentRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  updateDocument(argument: _dbsvc_v1_UpdateDocumentRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  updateDocument(argument: _dbsvc_v1_UpdateDocumentRequest, callback: grpc.requestCallback<_dbsvc_v1_Document__Output>): grpc.ClientUnaryCall;
  
}

export interface DocumentServiceHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Stores a new document; ALREADY_EXISTS when the id is taken. A retry with the same idempotency_key
   * returns the same document.
   */
  CreateDocument: grpc.handleUnaryCall<_dbsvc_v1_CreateDocumentRequest__Output, _dbsvc_v1_Document>;
  
  /**
   * Deletes one document; NOT_FOUND when it does not exist; ABORTED on a version mismatch.
   */
  DeleteDocument: grpc.handleUnaryCall<_dbsvc_v1_DeleteDocumentRequest__Output, _google_protobuf_Empty>;
  
  /**
   * Reads one document; NOT_FOUND when it does not exist.
   */
  GetDocument: grpc.handleUnaryCall<_dbsvc_v1_GetDocumentRequest__Output, _dbsvc_v1_Document>;
  
  /**
   * One page of a collection by a MongoDB-style filter over data, sorted, projected.
   */
  QueryDocuments: grpc.handleUnaryCall<_dbsvc_v1_QueryDocumentsRequest__Output, _dbsvc_v1_QueryDocumentsResponse>;
  
  /**
   * Replaces data or applies an RFC 7386 merge patch to it; never creates (NOT_FOUND); ABORTED when
   * expected_version is set and differs.
   */
  UpdateDocument: grpc.handleUnaryCall<_dbsvc_v1_UpdateDocumentRequest__Output, _dbsvc_v1_Document>;
  
}

export interface DocumentServiceDefinition extends grpc.ServiceDefinition {
  CreateDocument: MethodDefinition<_dbsvc_v1_CreateDocumentRequest, _dbsvc_v1_Document, _dbsvc_v1_CreateDocumentRequest__Output, _dbsvc_v1_Document__Output>
  DeleteDocument: MethodDefinition<_dbsvc_v1_DeleteDocumentRequest, _google_protobuf_Empty, _dbsvc_v1_DeleteDocumentRequest__Output, _google_protobuf_Empty__Output>
  GetDocument: MethodDefinition<_dbsvc_v1_GetDocumentRequest, _dbsvc_v1_Document, _dbsvc_v1_GetDocumentRequest__Output, _dbsvc_v1_Document__Output>
  QueryDocuments: MethodDefinition<_dbsvc_v1_QueryDocumentsRequest, _dbsvc_v1_QueryDocumentsResponse, _dbsvc_v1_QueryDocumentsRequest__Output, _dbsvc_v1_QueryDocumentsResponse__Output>
  UpdateDocument: MethodDefinition<_dbsvc_v1_UpdateDocumentRequest, _dbsvc_v1_Document, _dbsvc_v1_UpdateDocumentRequest__Output, _dbsvc_v1_Document__Output>
}
