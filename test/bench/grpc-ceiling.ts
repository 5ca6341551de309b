/**
 * The sidecar's ceiling in the front-door bench: a bare grpc-js DocumentService whose GetDocument answers one
 * document from memory, the same message the sidecar builds, with no function behind it. Run as its own
 * process (`node --import tsx test/bench/grpc-ceiling.ts`); prints `listening on <port>` once bound to loopback.
 */
import * as grpc from '@grpc/grpc-js';
import { toDocumentMessage } from '../../grpc-sidecar/document-message.js';
import { loadDocumentServiceProto } from '../../grpc-sidecar/proto.js';

const now = new Date().toISOString();
const document = toDocumentMessage({ id: 'doc', collection: 'bench', version: 1, createdAt: now, updatedAt: now, data: { name: 'Ada', tags: ['math', 'poetry'], n: 36 } });
const { proto } = loadDocumentServiceProto();
const server = new grpc.Server();
server.addService(proto.dbsvc.v1.DocumentService.service, {
  GetDocument: (_call: unknown, callback: grpc.sendUnaryData<typeof document>) => callback(null, document),
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  console.log(`listening on ${port}`);
});
process.once('SIGTERM', () => server.forceShutdown());
