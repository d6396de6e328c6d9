import type { Config } from '../config';
import { createLogger, type Logger } from '../logging';
import { openEmbeddedStore } from './embedded';
import { openMongoStore } from './mongodb';
import type { DocumentStore } from './port';

export type StoreConfig = Pick<Config, 'MONGODB_URI' | 'MONGODB_DB' | 'DATA_DIR'>;

/** MongoDB when `MONGODB_URI` is set, otherwise the embedded store under `DATA_DIR`. */
export async function openStore(config: StoreConfig, logger: Logger = createLogger('info')): Promise<DocumentStore> {
  if (config.MONGODB_URI) return openMongoStore(config.MONGODB_URI, config.MONGODB_DB, logger);
  return openEmbeddedStore(config.DATA_DIR, logger);
}
