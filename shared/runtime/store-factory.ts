import type { DocumentStore } from '../domain/ports.js';
import type { Config } from './config.js';

/** Opens the store the configuration names. Each adapter is imported only when chosen. */
export async function openStore(config: Config): Promise<DocumentStore> {
  const { openSqliteStore } = await import('../infrastructure/sqlite/sqlite-store.js');
  return openSqliteStore({ dataDir: config.DATA_DIR });
}
