import { FERRETDB_GRPC_DIFFERENCES, mongoAvailable, mongoServer, mongoServerKind } from '../support/mongodb.js';
import { grpcContract } from './grpc-contract.js';

if (mongoAvailable('gRPC contract (mongodb)')) {
  grpcContract(
    'mongodb',
    async () => ({ STORE: 'mongodb', MONGODB_URI: (await mongoServer()).uri(`dbsvc_grpc_${process.pid}`) }),
    mongoServerKind() === 'FerretDB' ? FERRETDB_GRPC_DIFFERENCES : {},
  );
}
