import { grpcContract } from './grpc-contract.js';

grpcContract('sqlite', async () => ({ STORE: 'sqlite' }));
