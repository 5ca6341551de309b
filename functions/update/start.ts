import { runFunction } from '../../shared/runtime/bootstrap.js';
import { registerUpdate } from './app.js';

await runFunction('update', registerUpdate);
