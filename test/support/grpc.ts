import * as grpc from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../shared/domain/document.js';
import type { BatchCreateDocumentsRequest } from '../../grpc-sidecar/generated/dbsvc/v1/BatchCreateDocumentsRequest.js';
import type { BatchCreateDocumentsResponse__Output } from '../../grpc-sidecar/generated/dbsvc/v1/BatchCreateDocumentsResponse.js';
import type { BatchDeleteDocumentsRequest } from '../../grpc-sidecar/generated/dbsvc/v1/BatchDeleteDocumentsRequest.js';
import type { BatchDeleteDocumentsResponse__Output } from '../../grpc-sidecar/generated/dbsvc/v1/BatchDeleteDocumentsResponse.js';
import type { BatchUpdateDocumentsRequest } from '../../grpc-sidecar/generated/dbsvc/v1/BatchUpdateDocumentsRequest.js';
import type { BatchUpdateDocumentsResponse__Output } from '../../grpc-sidecar/generated/dbsvc/v1/BatchUpdateDocumentsResponse.js';
import type { CountDocumentsRequest } from '../../grpc-sidecar/generated/dbsvc/v1/CountDocumentsRequest.js';
import type { CountDocumentsResponse__Output } from '../../grpc-sidecar/generated/dbsvc/v1/CountDocumentsResponse.js';
import type { CreateDocumentRequest } from '../../grpc-sidecar/generated/dbsvc/v1/CreateDocumentRequest.js';
import type { CreateIndexRequest } from '../../grpc-sidecar/generated/dbsvc/v1/CreateIndexRequest.js';
import type { CreateIndexResponse__Output } from '../../grpc-sidecar/generated/dbsvc/v1/CreateIndexResponse.js';
import type { DropIndexRequest } from '../../grpc-sidecar/generated/dbsvc/v1/DropIndexRequest.js';
import type { ListIndexesRequest } from '../../grpc-sidecar/generated/dbsvc/v1/ListIndexesRequest.js';
import type { ListIndexesResponse__Output } from '../../grpc-sidecar/generated/dbsvc/v1/ListIndexesResponse.js';
import type { DeleteDocumentRequest } from '../../grpc-sidecar/generated/dbsvc/v1/DeleteDocumentRequest.js';
import type { Document__Output } from '../../grpc-sidecar/generated/dbsvc/v1/Document.js';
import type { DocumentServiceClient } from '../../grpc-sidecar/generated/dbsvc/v1/DocumentService.js';
import type { GetDocumentRequest } from '../../grpc-sidecar/generated/dbsvc/v1/GetDocumentRequest.js';
import type { QueryDocumentsRequest } from '../../grpc-sidecar/generated/dbsvc/v1/QueryDocumentsRequest.js';
import type { QueryDocumentsResponse__Output } from '../../grpc-sidecar/generated/dbsvc/v1/QueryDocumentsResponse.js';
import type { UpdateDocumentRequest } from '../../grpc-sidecar/generated/dbsvc/v1/UpdateDocumentRequest.js';
import type { Empty__Output } from '../../grpc-sidecar/generated/google/protobuf/Empty.js';
import { loadDocumentServiceProto } from '../../grpc-sidecar/proto.js';
import { jsonToStruct, structToJson } from '../../grpc-sidecar/struct.js';

export { status } from '@grpc/grpc-js';
export { jsonToStruct, structToJson };

export interface CallOptions {
  /** Milliseconds from now. */
  readonly deadlineMs?: number;
  readonly metadata?: Record<string, string>;
}

type Start<Res> = (metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<Res>) => void;

/** A real grpc-js client of dbsvc.v1.DocumentService, promise-shaped; failures reject with the ServiceError. */
export class DocumentServiceApi {
  readonly client: DocumentServiceClient;

  constructor(address: string) {
    const { proto } = loadDocumentServiceProto();
    this.client = new proto.dbsvc.v1.DocumentService(address, grpc.credentials.createInsecure());
  }

  create(request: CreateDocumentRequest, options?: CallOptions): Promise<Document__Output> {
    return this.#unary((md, o, cb) => this.client.CreateDocument(request, md, o, cb), options);
  }

  get(request: GetDocumentRequest, options?: CallOptions): Promise<Document__Output> {
    return this.#unary((md, o, cb) => this.client.GetDocument(request, md, o, cb), options);
  }

  update(request: UpdateDocumentRequest, options?: CallOptions): Promise<Document__Output> {
    return this.#unary((md, o, cb) => this.client.UpdateDocument(request, md, o, cb), options);
  }

  delete(request: DeleteDocumentRequest, options?: CallOptions): Promise<Empty__Output> {
    return this.#unary((md, o, cb) => this.client.DeleteDocument(request, md, o, cb), options);
  }

  query(request: QueryDocumentsRequest, options?: CallOptions): Promise<QueryDocumentsResponse__Output> {
    return this.#unary((md, o, cb) => this.client.QueryDocuments(request, md, o, cb), options);
  }

  count(request: CountDocumentsRequest, options?: CallOptions): Promise<CountDocumentsResponse__Output> {
    return this.#unary((md, o, cb) => this.client.CountDocuments(request, md, o, cb), options);
  }

  createIndex(request: CreateIndexRequest, options?: CallOptions): Promise<CreateIndexResponse__Output> {
    return this.#unary((md, o, cb) => this.client.CreateIndex(request, md, o, cb), options);
  }

  listIndexes(request: ListIndexesRequest, options?: CallOptions): Promise<ListIndexesResponse__Output> {
    return this.#unary((md, o, cb) => this.client.ListIndexes(request, md, o, cb), options);
  }

  dropIndex(request: DropIndexRequest, options?: CallOptions): Promise<Empty__Output> {
    return this.#unary((md, o, cb) => this.client.DropIndex(request, md, o, cb), options);
  }

  batchCreate(request: BatchCreateDocumentsRequest, options?: CallOptions): Promise<BatchCreateDocumentsResponse__Output> {
    return this.#unary((md, o, cb) => this.client.BatchCreateDocuments(request, md, o, cb), options);
  }

  batchUpdate(request: BatchUpdateDocumentsRequest, options?: CallOptions): Promise<BatchUpdateDocumentsResponse__Output> {
    return this.#unary((md, o, cb) => this.client.BatchUpdateDocuments(request, md, o, cb), options);
  }

  batchDelete(request: BatchDeleteDocumentsRequest, options?: CallOptions): Promise<BatchDeleteDocumentsResponse__Output> {
    return this.#unary((md, o, cb) => this.client.BatchDeleteDocuments(request, md, o, cb), options);
  }

  close(): void {
    this.client.close();
  }

  #unary<Res>(start: Start<Res>, options: CallOptions = {}): Promise<Res> {
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(options.metadata ?? {})) metadata.set(key, value);
    const callOptions: grpc.CallOptions = options.deadlineMs === undefined ? {} : { deadline: Date.now() + options.deadlineMs };
    return new Promise((resolve, reject) => start(metadata, callOptions, (error, response) => (error ? reject(error) : resolve(response!))));
  }
}

/** The data of a Document message as JSON. */
export function dataOf(document: Document__Output): JsonObject {
  assert.ok(document.data, 'document has data');
  return structToJson(document.data, 'data');
}

/** Asserts that `call` fails with `code`, and that the message mentions `mentions` when given. */
export async function assertStatus(call: Promise<unknown>, code: grpc.status, mentions?: string): Promise<grpc.ServiceError> {
  try {
    await call;
  } catch (error) {
    const serviceError = error as grpc.ServiceError;
    assert.is(grpc.status[serviceError.code], grpc.status[code], `status (message: ${serviceError.details})`);
    if (mentions) assert.ok(serviceError.details.includes(mentions), `message "${serviceError.details}" should mention ${mentions}`);
    return serviceError;
  }
  assert.unreachable(`expected ${grpc.status[code]}, but the call succeeded`);
  throw new Error('unreachable');
}

export type ReflectionRequest = { list_services: string } | { file_containing_symbol: string };
export interface ReflectionResponse {
  list_services_response?: { service: Array<{ name: string }> };
  file_descriptor_response?: { file_descriptor_proto: Buffer[] };
  error_response?: { error_code: number; error_message: string };
}
type ReflectionClient = grpc.Client & { ServerReflectionInfo(): grpc.ClientDuplexStream<ReflectionRequest, ReflectionResponse> };

/** One request over grpc.reflection.v1, as grpcurl sends them, with a plain grpc-js client. */
export async function reflect(address: string, request: ReflectionRequest): Promise<ReflectionResponse> {
  const protoRoot = join(dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json')), 'build/proto');
  const definition = loadSync('grpc/reflection/v1/reflection.proto', { includeDirs: [protoRoot], keepCase: true, oneofs: true });
  const v1 = ((grpc.loadPackageDefinition(definition).grpc as grpc.GrpcObject).reflection as grpc.GrpcObject).v1 as grpc.GrpcObject;
  const client = new (v1.ServerReflection as grpc.ServiceClientConstructor)(address, grpc.credentials.createInsecure()) as unknown as ReflectionClient;
  try {
    return await new Promise<ReflectionResponse>((resolve, reject) => {
      const stream = client.ServerReflectionInfo();
      stream.on('data', (reply: ReflectionResponse) => {
        resolve(reply);
        stream.end();
      });
      stream.on('error', reject);
      stream.write(request);
    });
  } finally {
    client.close();
  }
}
