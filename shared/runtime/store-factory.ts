import type { DocumentStore } from '../domain/ports.js';
import type { Config } from './config.js';

/** Opens the store the configuration names. Each adapter is imported only when chosen. */
export async function openStore(config: Config): Promise<DocumentStore> {
  if (config.STORE === 'mongodb') {
    const { openMongoStore } = await import('../infrastructure/mongodb/mongo-store.js');
    return openMongoStore({
      // loadConfig refuses STORE=mongodb without MONGODB_URI.
      uri: config.MONGODB_URI!,
      poolSize: config.MONGODB_POOL_SIZE,
      connectTimeoutMs: config.MONGODB_CONNECT_TIMEOUT_MS,
      serverSelectionTimeoutMs: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
      socketTimeoutMs: config.MONGODB_SOCKET_TIMEOUT_MS,
    });
  }
  const { openSqliteStore } = await import('../infrastructure/sqlite/sqlite-store.js');
  return openSqliteStore({ dataDir: config.DATA_DIR });
}
