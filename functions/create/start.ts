import { runFunction } from '../../shared/runtime/bootstrap.js';
import { registerCreate } from './app.js';

await runFunction('create', registerCreate);
