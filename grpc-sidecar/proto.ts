import * as grpc from '@grpc/grpc-js';
import { loadSync, type Options, type PackageDefinition } from '@grpc/proto-loader';
import { fileURLToPath } from 'node:url';
import type { ProtoGrpcType } from './generated/database_service.js';

/**
 * The gRPC contract as proto-loader reads it. The .proto file is read at run time from `proto/` beside
 * `dist/` (and beside `grpc-sidecar/` when run from source), so reflection serves the real file.
 */
export const PROTO_DIR = fileURLToPath(new URL('../proto/', import.meta.url));
export const PROTO_FILE = 'database_service.proto';
export const DOCUMENT_SERVICE = 'dbsvc.v1.DocumentService';

/** Must match the flags of scripts/generate-proto-types.mjs: the generated types describe these objects. */
export const PROTO_LOADER_OPTIONS = {
  keepCase: true,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
  includeDirs: [PROTO_DIR],
} as const satisfies Options;

export interface LoadedProto {
  readonly definition: PackageDefinition;
  readonly proto: ProtoGrpcType;
}

export function loadDocumentServiceProto(): LoadedProto {
  const definition = loadSync(PROTO_FILE, PROTO_LOADER_OPTIONS);
  return { definition, proto: grpc.loadPackageDefinition(definition) as unknown as ProtoGrpcType };
}
