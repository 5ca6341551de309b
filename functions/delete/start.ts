import { runFunction } from '../../shared/runtime/bootstrap.js';
import { registerDelete } from './app.js';

await runFunction('delete', registerDelete);
