import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { createLogger } from '../../services/logging';
import { openEmbeddedStore } from '../../services/store/embedded';
import { openMongoStore } from '../../services/store/mongodb';
import type { DocumentStore } from '../../services/store/port';
import { testMongoUri } from './ferretdb';

/** Both adapters, each opened on throw-away storage, for suites that run against every adapter. */

export interface OpenedStore {
  readonly store: DocumentStore;
  /** Closes the store and deletes everything it wrote. */
  dispose(): Promise<void>;
}

export const silentLogger = createLogger('silent');

export async function openTempEmbeddedStore(): Promise<OpenedStore & { dir: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tribe-embedded-'));
  const store = await openEmbeddedStore(dir, silentLogger);
  return {
    store,
    dir,
    async dispose() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export async function openTempMongoStore(): Promise<OpenedStore> {
  const uri = testMongoUri();
  const dbName = `tribe_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const store = await openMongoStore(uri, dbName, silentLogger);
  return {
    store,
    async dispose() {
      await store.close();
      const client = await new MongoClient(uri).connect();
      try {
        await client.db(dbName).dropDatabase();
      } finally {
        await client.close();
      }
    },
  };
}

export const adapters: Array<[kind: DocumentStore['kind'], open: () => Promise<OpenedStore>]> = [
  ['embedded', openTempEmbeddedStore],
  ['mongodb', openTempMongoStore],
];

let collectionCounter = 0;
/** A collection name not used before in this process, so tests sharing one store stay independent. */
export function freshCollectionName(prefix = 'c'): string {
  collectionCounter += 1;
  return `${prefix}${collectionCounter}`;
}
