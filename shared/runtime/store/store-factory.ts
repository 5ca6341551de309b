import type { DocumentStore } from '../../domain/ports.js';
import { ConfigError, type Config } from '../config/function-config.js';

/**
 * Opens the store the configuration names. Each adapter is imported only when chosen. A MONGODB_URI that the
 * driver refuses (a bad option value, port or host list) is a configuration error naming the variable.
 */
export async function openStore(config: Config): Promise<DocumentStore> {
  if (config.STORE === 'mongodb') {
    const { openMongoStore } = await import('../../infrastructure/mongodb/mongo-store.js');
    try {
      return openMongoStore({
        // loadConfig refuses STORE=mongodb without MONGODB_URI.
        uri: config.MONGODB_URI!,
        poolSize: config.MONGODB_POOL_SIZE,
        connectTimeoutMs: config.MONGODB_CONNECT_TIMEOUT_MS,
        serverSelectionTimeoutMs: config.MONGODB_SERVER_SELECTION_TIMEOUT_MS,
        socketTimeoutMs: config.MONGODB_SOCKET_TIMEOUT_MS,
        tombstoneRetentionMs: retentionMs(config),
      });
    } catch (error) {
      // Building the client does no I/O: anything it throws is about the URI.
      throw new ConfigError(`invalid configuration: MONGODB_URI: ${(error as Error).message}`);
    }
  }
  const { openSqliteStore } = await import('../../infrastructure/sqlite/sqlite-store.js');
  return openSqliteStore({ dataDir: config.DATA_DIR, tombstoneRetentionMs: retentionMs(config) });
}

/** TOMBSTONE_RETENTION_SECONDS in milliseconds; undefined (unset) keeps tombstones for ever. */
function retentionMs(config: Config): number | undefined {
  return config.TOMBSTONE_RETENTION_SECONDS === undefined ? undefined : config.TOMBSTONE_RETENTION_SECONDS * 1000;
}
