import { FERRETDB_REST_DIFFERENCES, mongoAvailable, mongoServer, mongoServerKind } from '../support/mongodb.js';
import { restContract } from './rest-contract.js';

if (mongoAvailable('REST contract (mongodb)')) {
  restContract(
    'mongodb',
    async () => ({ STORE: 'mongodb', MONGODB_URI: (await mongoServer()).uri(`dbsvc_rest_${process.pid}`) }),
    mongoServerKind() === 'FerretDB' ? FERRETDB_REST_DIFFERENCES : {},
  );
}
