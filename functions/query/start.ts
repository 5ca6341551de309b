import { runFunction } from '../../shared/runtime/bootstrap.js';
import { registerQuery } from './app.js';

await runFunction('query', registerQuery);
