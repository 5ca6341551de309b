// Original file: proto/database_service.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BatchCreateDocumentsRequest as _dbsvc_v1_BatchCreateDocumentsRequest, BatchCreateDocumentsRequest__Output as _dbsvc_v1_BatchCreateDocumentsRequest__Output } from '../../dbsvc/v1/BatchCreateDocumentsRequest.js';
import type { BatchCreateDocumentsResponse as _dbsvc_v1_BatchCreateDocumentsResponse, BatchCreateDocumentsResponse__Output as _dbsvc_v1_BatchCreateDocumentsResponse__Output } from '../../dbsvc/v1/BatchCreateDocumentsResponse.js';
import type { BatchDeleteDocumentsRequest as _dbsvc_v1_BatchDeleteDocumentsRequest, BatchDeleteDocumentsRequest__Output as _dbsvc_v1_BatchDeleteDocumentsRequest__Output } from '../../dbsvc/v1/BatchDeleteDocumentsRequest.js';
import type { BatchDeleteDocumentsResponse as _dbsvc_v1_BatchDeleteDocumentsResponse, BatchDeleteDocumentsResponse__Output as _dbsvc_v1_BatchDeleteDocumentsResponse__Output } from '../../dbsvc/v1/BatchDeleteDocumentsResponse.js';
import type { BatchUpdateDocumentsRequest as _dbsvc_v1_BatchUpdateDocumentsRequest, BatchUpdateDocumentsRequest__Output as _dbsvc_v1_BatchUpdateDocumentsRequest__Output } from '../../dbsvc/v1/BatchUpdateDocumentsRequest.js';
import type { BatchUpdateDocumentsResponse as _dbsvc_v1_BatchUpdateDocumentsResponse, BatchUpdateDocumentsResponse__Output as _dbsvc_v1_BatchUpdateDocumentsResponse__Output } from '../../dbsvc/v1/BatchUpdateDocumentsResponse.js';
import type { CountDocumentsRequest as _dbsvc_v1_CountDocumentsRequest, CountDocumentsRequest__Output as _dbsvc_v1_CountDocumentsRequest__Output } from '../../dbsvc/v1/CountDocumentsRequest.js';
import type { CountDocumentsResponse as _dbsvc_v1_CountDocumentsResponse, CountDocumentsResponse__Output as _dbsvc_v1_CountDocumentsResponse__Output } from '../../dbsvc/v1/CountDocumentsResponse.js';
import type { CreateDocumentRequest as _dbsvc_v1_CreateDocumentRequest, CreateDocumentRequest__Output as _dbsvc_v1_CreateDocumentRequest__Output } from '../../dbsvc/v1/CreateDocumentRequest.js';
import type { CreateIndexRequest as _dbsvc_v1_CreateIndexRequest, CreateIndexRequest__Output as _dbsvc_v1_CreateIndexRequest__Output } from '../../dbsvc/v1/CreateIndexRequest.js';
import type { CreateIndexResponse as _dbsvc_v1_CreateIndexResponse, CreateIndexResponse__Output as _dbsvc_v1_CreateIndexResponse__Output } from '../../dbsvc/v1/CreateIndexResponse.js';
import type { DeleteDocumentRequest as _dbsvc_v1_DeleteDocumentRequest, DeleteDocumentRequest__Output as _dbsvc_v1_DeleteDocumentRequest__Output } from '../../dbsvc/v1/DeleteDocumentRequest.js';
import type { Document as _dbsvc_v1_Document, Document__Output as _dbsvc_v1_Document__Output } from '../../dbsvc/v1/Document.js';
import type { DropIndexRequest as _dbsvc_v1_DropIndexRequest, DropIndexRequest__Output as _dbsvc_v1_DropIndexRequest__Output } from '../../dbsvc/v1/DropIndexRequest.js';
import type { Empty as _google_protobuf_Empty, Empty__Output as _google_protobuf_Empty__Output } from '../../google/protobuf/Empty.js';
import type { GetDocumentRequest as _dbsvc_v1_GetDocumentRequest, GetDocumentRequest__Output as _dbsvc_v1_GetDocumentRequest__Output } from '../../dbsvc/v1/GetDocumentRequest.js';
import type { ListIndexesRequest as _dbsvc_v1_ListIndexesRequest, ListIndexesRequest__Output as _dbsvc_v1_ListIndexesRequest__Output } from '../../dbsvc/v1/ListIndexesRequest.js';
import type { ListIndexesResponse as _dbsvc_v1_ListIndexesResponse, ListIndexesResponse__Output as _dbsvc_v1_ListIndexesResponse__Output } from '../../dbsvc/v1/ListIndexesResponse.js';
import type { QueryDocumentsRequest as _dbsvc_v1_QueryDocumentsRequest, QueryDocumentsRequest__Output as _dbsvc_v1_QueryDocumentsRequest__Output } from '../../dbsvc/v1/QueryDocumentsRequest.js';
import type { QueryDocumentsResponse as _dbsvc_v1_QueryDocumentsResponse, QueryDocumentsResponse__Output as _dbsvc_v1_QueryDocumentsResponse__Output } from '../../dbsvc/v1/QueryDocumentsResponse.js';
import type { UpdateDocumentRequest as _dbsvc_v1_UpdateDocumentRequest, UpdateDocumentRequest__Output as _dbsvc_v1_UpdateDocumentRequest__Output } from '../../dbsvc/v1/UpdateDocumentRequest.js';

export interface DocumentServiceClient extends grpc.Client {
  /**
   * Creates each document on its own; each result carries the HTTP status the item would have had alone.
   */
  BatchCreateDocuments(argument: _dbsvc_v1_BatchCreateDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchCreateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  BatchCreateDocuments(argument: _dbsvc_v1_BatchCreateDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_BatchCreateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  BatchCreateDocuments(argument: _dbsvc_v1_BatchCreateDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchCreateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  BatchCreateDocuments(argument: _dbsvc_v1_BatchCreateDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_BatchCreateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates each document on its own; each result carries the HTTP status the item would have had alone.
   */
  batchCreateDocuments(argument: _dbsvc_v1_BatchCreateDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchCreateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  batchCreateDocuments(argument: _dbsvc_v1_BatchCreateDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_BatchCreateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  batchCreateDocuments(argument: _dbsvc_v1_BatchCreateDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchCreateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  batchCreateDocuments(argument: _dbsvc_v1_BatchCreateDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_BatchCreateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Deletes each document a filter matches.
   */
  BatchDeleteDocuments(argument: _dbsvc_v1_BatchDeleteDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchDeleteDocumentsResponse__Output>): grpc.ClientUnaryCall;
  BatchDeleteDocuments(argument: _dbsvc_v1_BatchDeleteDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_BatchDeleteDocumentsResponse__Output>): grpc.ClientUnaryCall;
  BatchDeleteDocuments(argument: _dbsvc_v1_BatchDeleteDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchDeleteDocumentsResponse__Output>): grpc.ClientUnaryCall;
  BatchDeleteDocuments(argument: _dbsvc_v1_BatchDeleteDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_BatchDeleteDocumentsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Deletes each document a filter matches.
   */
  batchDeleteDocuments(argument: _dbsvc_v1_BatchDeleteDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchDeleteDocumentsResponse__Output>): grpc.ClientUnaryCall;
  batchDeleteDocuments(argument: _dbsvc_v1_BatchDeleteDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_BatchDeleteDocumentsResponse__Output>): grpc.ClientUnaryCall;
  batchDeleteDocuments(argument: _dbsvc_v1_BatchDeleteDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchDeleteDocumentsResponse__Output>): grpc.ClientUnaryCall;
  batchDeleteDocuments(argument: _dbsvc_v1_BatchDeleteDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_BatchDeleteDocumentsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Applies update operators to each document a filter matches, each its own atomic change.
   */
  BatchUpdateDocuments(argument: _dbsvc_v1_BatchUpdateDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchUpdateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  BatchUpdateDocuments(argument: _dbsvc_v1_BatchUpdateDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_BatchUpdateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  BatchUpdateDocuments(argument: _dbsvc_v1_BatchUpdateDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchUpdateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  BatchUpdateDocuments(argument: _dbsvc_v1_BatchUpdateDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_BatchUpdateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Applies update operators to each document a filter matches, each its own atomic change.
   */
  batchUpdateDocuments(argument: _dbsvc_v1_BatchUpdateDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchUpdateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  batchUpdateDocuments(argument: _dbsvc_v1_BatchUpdateDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_BatchUpdateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  batchUpdateDocuments(argument: _dbsvc_v1_BatchUpdateDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_BatchUpdateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  batchUpdateDocuments(argument: _dbsvc_v1_BatchUpdateDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_BatchUpdateDocumentsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * How many documents match a filter.
   */
  CountDocuments(argument: _dbsvc_v1_CountDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_CountDocumentsResponse__Output>): grpc.ClientUnaryCall;
  CountDocuments(argument: _dbsvc_v1_CountDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_CountDocumentsResponse__Output>): grpc.ClientUnaryCall;
  CountDocuments(argument: _dbsvc_v1_CountDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_CountDocumentsResponse__Output>): grpc.ClientUnaryCall;
  CountDocuments(argument: _dbsvc_v1_CountDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_CountDocumentsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * How many documents match a filter.
   */
  countDocuments(argument: _dbsvc_v1_CountDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_CountDocumentsResponse__Output>): grpc.ClientUnaryCall;
  countDocuments(argument: _dbsvc_v1_CountDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_CountDocumentsResponse__Output>): grpc.ClientUnaryCall;
  countDocuments(argument: _dbsvc_v1_CountDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_CountDocumentsResponse__Output>): grpc.ClientUnaryCall;
  countDocuments(argument: _dbsvc_v1_CountDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_CountDocumentsResponse__Output>): grpc.ClientUnaryCall;
  
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
   * Creates a secondary index (created = false when the same definition existed); ALREADY_EXISTS when the
   * name has another definition or a unique index meets documents sharing a key.
   */
  CreateIndex(argument: _dbsvc_v1_CreateIndexRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_CreateIndexResponse__Output>): grpc.ClientUnaryCall;
  CreateIndex(argument: _dbsvc_v1_CreateIndexRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_CreateIndexResponse__Output>): grpc.ClientUnaryCall;
  CreateIndex(argument: _dbsvc_v1_CreateIndexRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_CreateIndexResponse__Output>): grpc.ClientUnaryCall;
  CreateIndex(argument: _dbsvc_v1_CreateIndexRequest, callback: grpc.requestCallback<_dbsvc_v1_CreateIndexResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Creates a secondary index (created = false when the same definition existed); ALREADY_EXISTS when the
   * name has another definition or a unique index meets documents sharing a key.
   */
  createIndex(argument: _dbsvc_v1_CreateIndexRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_CreateIndexResponse__Output>): grpc.ClientUnaryCall;
  createIndex(argument: _dbsvc_v1_CreateIndexRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_CreateIndexResponse__Output>): grpc.ClientUnaryCall;
  createIndex(argument: _dbsvc_v1_CreateIndexRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_CreateIndexResponse__Output>): grpc.ClientUnaryCall;
  createIndex(argument: _dbsvc_v1_CreateIndexRequest, callback: grpc.requestCallback<_dbsvc_v1_CreateIndexResponse__Output>): grpc.ClientUnaryCall;
  
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
   * NOT_FOUND when there is no such index.
   */
  DropIndex(argument: _dbsvc_v1_DropIndexRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  DropIndex(argument: _dbsvc_v1_DropIndexRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  DropIndex(argument: _dbsvc_v1_DropIndexRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  DropIndex(argument: _dbsvc_v1_DropIndexRequest, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  /**
   * NOT_FOUND when there is no such index.
   */
  dropIndex(argument: _dbsvc_v1_DropIndexRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  dropIndex(argument: _dbsvc_v1_DropIndexRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  dropIndex(argument: _dbsvc_v1_DropIndexRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  dropIndex(argument: _dbsvc_v1_DropIndexRequest, callback: grpc.requestCallback<_google_protobuf_Empty__Output>): grpc.ClientUnaryCall;
  
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
  
  ListIndexes(argument: _dbsvc_v1_ListIndexesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_ListIndexesResponse__Output>): grpc.ClientUnaryCall;
  ListIndexes(argument: _dbsvc_v1_ListIndexesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_ListIndexesResponse__Output>): grpc.ClientUnaryCall;
  ListIndexes(argument: _dbsvc_v1_ListIndexesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_ListIndexesResponse__Output>): grpc.ClientUnaryCall;
  ListIndexes(argument: _dbsvc_v1_ListIndexesRequest, callback: grpc.requestCallback<_dbsvc_v1_ListIndexesResponse__Output>): grpc.ClientUnaryCall;
  listIndexes(argument: _dbsvc_v1_ListIndexesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_ListIndexesResponse__Output>): grpc.ClientUnaryCall;
  listIndexes(argument: _dbsvc_v1_ListIndexesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_ListIndexesResponse__Output>): grpc.ClientUnaryCall;
  listIndexes(argument: _dbsvc_v1_ListIndexesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_ListIndexesResponse__Output>): grpc.ClientUnaryCall;
  listIndexes(argument: _dbsvc_v1_ListIndexesRequest, callback: grpc.requestCallback<_dbsvc_v1_ListIndexesResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * One page of a collection by a MongoDB-style filter over data, sorted, projected; with explain, the plan
   * instead of the documents. DEADLINE_EXCEEDED when it runs past max_time_ms.
   */
  QueryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  QueryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  QueryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  QueryDocuments(argument: _dbsvc_v1_QueryDocumentsRequest, callback: grpc.requestCallback<_dbsvc_v1_QueryDocumentsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * One page of a collection by a MongoDB-style filter over data, sorted, projected; with explain, the plan
   * instead of the documents. DEADLINE_EXCEEDED when it runs past max_time_ms.
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
   * Creates each document on its own; each result carries the HTTP status the item would have had alone.
   */
  BatchCreateDocuments: grpc.handleUnaryCall<_dbsvc_v1_BatchCreateDocumentsRequest__Output, _dbsvc_v1_BatchCreateDocumentsResponse>;
  
  /**
   * Deletes each document a filter matches.
   */
  BatchDeleteDocuments: grpc.handleUnaryCall<_dbsvc_v1_BatchDeleteDocumentsRequest__Output, _dbsvc_v1_BatchDeleteDocumentsResponse>;
  
  /**
   * Applies update operators to each document a filter matches, each its own atomic change.
   */
  BatchUpdateDocuments: grpc.handleUnaryCall<_dbsvc_v1_BatchUpdateDocumentsRequest__Output, _dbsvc_v1_BatchUpdateDocumentsResponse>;
  
  /**
   * How many documents match a filter.
   */
  CountDocuments: grpc.handleUnaryCall<_dbsvc_v1_CountDocumentsRequest__Output, _dbsvc_v1_CountDocumentsResponse>;
  
  /**
   * Stores a new document; ALREADY_EXISTS when the id is taken. A retry with the same idempotency_key
   * returns the same document.
   */
  CreateDocument: grpc.handleUnaryCall<_dbsvc_v1_CreateDocumentRequest__Output, _dbsvc_v1_Document>;
  
  /**
   * Creates a secondary index (created = false when the same definition existed); ALREADY_EXISTS when the
   * name has another definition or a unique index meets documents sharing a key.
   */
  CreateIndex: grpc.handleUnaryCall<_dbsvc_v1_CreateIndexRequest__Output, _dbsvc_v1_CreateIndexResponse>;
  
  /**
   * Deletes one document; NOT_FOUND when it does not exist; ABORTED on a version mismatch.
   */
  DeleteDocument: grpc.handleUnaryCall<_dbsvc_v1_DeleteDocumentRequest__Output, _google_protobuf_Empty>;
  
  /**
   * NOT_FOUND when there is no such index.
   */
  DropIndex: grpc.handleUnaryCall<_dbsvc_v1_DropIndexRequest__Output, _google_protobuf_Empty>;
  
  /**
   * Reads one document; NOT_FOUND when it does not exist.
   */
  GetDocument: grpc.handleUnaryCall<_dbsvc_v1_GetDocumentRequest__Output, _dbsvc_v1_Document>;
  
  ListIndexes: grpc.handleUnaryCall<_dbsvc_v1_ListIndexesRequest__Output, _dbsvc_v1_ListIndexesResponse>;
  
  /**
   * One page of a collection by a MongoDB-style filter over data, sorted, projected; with explain, the plan
   * instead of the documents. DEADLINE_EXCEEDED when it runs past max_time_ms.
   */
  QueryDocuments: grpc.handleUnaryCall<_dbsvc_v1_QueryDocumentsRequest__Output, _dbsvc_v1_QueryDocumentsResponse>;
  
  /**
   * Replaces data or applies an RFC 7386 merge patch to it; never creates (NOT_FOUND); ABORTED when
   * expected_version is set and differs.
   */
  UpdateDocument: grpc.handleUnaryCall<_dbsvc_v1_UpdateDocumentRequest__Output, _dbsvc_v1_Document>;
  
}

export interface DocumentServiceDefinition extends grpc.ServiceDefinition {
  BatchCreateDocuments: MethodDefinition<_dbsvc_v1_BatchCreateDocumentsRequest, _dbsvc_v1_BatchCreateDocumentsResponse, _dbsvc_v1_BatchCreateDocumentsRequest__Output, _dbsvc_v1_BatchCreateDocumentsResponse__Output>
  BatchDeleteDocuments: MethodDefinition<_dbsvc_v1_BatchDeleteDocumentsRequest, _dbsvc_v1_BatchDeleteDocumentsResponse, _dbsvc_v1_BatchDeleteDocumentsRequest__Output, _dbsvc_v1_BatchDeleteDocumentsResponse__Output>
  BatchUpdateDocuments: MethodDefinition<_dbsvc_v1_BatchUpdateDocumentsRequest, _dbsvc_v1_BatchUpdateDocumentsResponse, _dbsvc_v1_BatchUpdateDocumentsRequest__Output, _dbsvc_v1_BatchUpdateDocumentsResponse__Output>
  CountDocuments: MethodDefinition<_dbsvc_v1_CountDocumentsRequest, _dbsvc_v1_CountDocumentsResponse, _dbsvc_v1_CountDocumentsRequest__Output, _dbsvc_v1_CountDocumentsResponse__Output>
  CreateDocument: MethodDefinition<_dbsvc_v1_CreateDocumentRequest, _dbsvc_v1_Document, _dbsvc_v1_CreateDocumentRequest__Output, _dbsvc_v1_Document__Output>
  CreateIndex: MethodDefinition<_dbsvc_v1_CreateIndexRequest, _dbsvc_v1_CreateIndexResponse, _dbsvc_v1_CreateIndexRequest__Output, _dbsvc_v1_CreateIndexResponse__Output>
  DeleteDocument: MethodDefinition<_dbsvc_v1_DeleteDocumentRequest, _google_protobuf_Empty, _dbsvc_v1_DeleteDocumentRequest__Output, _google_protobuf_Empty__Output>
  DropIndex: MethodDefinition<_dbsvc_v1_DropIndexRequest, _google_protobuf_Empty, _dbsvc_v1_DropIndexRequest__Output, _google_protobuf_Empty__Output>
  GetDocument: MethodDefinition<_dbsvc_v1_GetDocumentRequest, _dbsvc_v1_Document, _dbsvc_v1_GetDocumentRequest__Output, _dbsvc_v1_Document__Output>
  ListIndexes: MethodDefinition<_dbsvc_v1_ListIndexesRequest, _dbsvc_v1_ListIndexesResponse, _dbsvc_v1_ListIndexesRequest__Output, _dbsvc_v1_ListIndexesResponse__Output>
  QueryDocuments: MethodDefinition<_dbsvc_v1_QueryDocumentsRequest, _dbsvc_v1_QueryDocumentsResponse, _dbsvc_v1_QueryDocumentsRequest__Output, _dbsvc_v1_QueryDocumentsResponse__Output>
  UpdateDocument: MethodDefinition<_dbsvc_v1_UpdateDocumentRequest, _dbsvc_v1_Document, _dbsvc_v1_UpdateDocumentRequest__Output, _dbsvc_v1_Document__Output>
}
