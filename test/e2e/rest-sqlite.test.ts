import { restContract } from './rest-contract.js';

restContract('sqlite', async () => ({ STORE: 'sqlite' }));
