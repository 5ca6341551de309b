import { useCompileCache } from '../../shared/runtime/startup/compile-cache.js';

// The function's code is imported only once the compile cache is on, so that it compiles from the cache.
useCompileCache(import.meta.url);
await import('./start.js');
