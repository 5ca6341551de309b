import { runFunction } from '../../shared/runtime/bootstrap.js';
import { registerIndexes } from './app.js';

await runFunction('indexes', registerIndexes);
