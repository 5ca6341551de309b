import { runFunction } from '../../shared/runtime/bootstrap.js';
import { registerGet } from './app.js';

await runFunction('get', registerGet);
