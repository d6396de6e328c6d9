import type Datastore from '@seald-io/nedb';

/**
 * The few parts of nedb 4.1.2 (pinned in package.json) that its typings do not declare, used by
 * the embedded adapter's fast paths: a lookup in the in-memory indexes without a cursor and the
 * copy nedb makes on every find, and a replacement without nedb's second lookup and copy.
 * `nedbInternalsAvailable` (checked by a test) fails if an upgrade moves them.
 */
interface NedbModel {
  match(doc: unknown, query: Record<string, unknown>): boolean;
  deepCopy<T>(value: T): T;
  checkObject(value: unknown): void;
}

interface NedbIndex {
  getMatching(value: unknown): unknown[];
}

export interface NedbInternals {
  indexes: Record<string, NedbIndex>;
  ttlIndexes: Record<string, number>;
  executor: { pushAsync<R>(task: () => Promise<R>): Promise<R> };
  persistence: { persistNewStateAsync(docs: unknown[]): Promise<void> };
  _updateIndexes(modifications: Array<{ oldDoc: unknown; newDoc: unknown }>): void;
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const nedbModel = require('@seald-io/nedb/lib/model.js') as NedbModel;

export function internalsOf<T>(db: Datastore<T>): NedbInternals {
  return db as unknown as NedbInternals;
}

export function nedbInternalsAvailable(db: Datastore<unknown>): boolean {
  const internals = internalsOf(db);
  return (
    typeof internals.indexes?._id?.getMatching === 'function' &&
    typeof internals.ttlIndexes === 'object' &&
    typeof internals.executor?.pushAsync === 'function' &&
    typeof internals.persistence?.persistNewStateAsync === 'function' &&
    typeof internals._updateIndexes === 'function' &&
    typeof nedbModel.match === 'function' &&
    typeof nedbModel.deepCopy === 'function' &&
    typeof nedbModel.checkObject === 'function'
  );
}
