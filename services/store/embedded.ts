import Datastore from '@seald-io/nedb';
import { randomUUID } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from '../logging';
import { applyUpdate, copyWithoutUndefined, upsertSeed } from './apply-update';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { dropTornFinalLine } from './datafile-recovery';
import { toNedbQuery } from './embedded-query';
import { releaseAppendFile, useSynchronousAppends } from './nedb-appends';
import { useFastSerialize } from './nedb-serialize';
import { internalsOf, nedbModel } from './nedb-internals';
import {
  DuplicateKeyError,
  type Collection,
  type Document,
  type DocumentStore,
  type Filter,
  type FindOptions,
  type Update,
  type UpdateResult,
} from './port';
import {
  assertCollectionName,
  assertPortableUpdateValues,
  assertValidDocument,
  assertValidFindOptions,
  assertValidUpdate,
  InvalidStoreInputError,
  isValidCollectionName,
} from './store-input';

/**
 * The embedded adapter: one nedb datafile per collection under DATA_DIR.
 *
 * Durability: nedb appends each change to the datafile and only then calls back, so an
 * acknowledged write is in the OS page cache and survives the process being killed (not a power
 * cut: appends are not fsynced; compaction is).
 *
 * Atomicity: every write of a collection runs through one queue here, so a compound operation
 * (find then replace, upsert, findOneAndUpdate) cannot interleave with another write. Reads go
 * straight to nedb, which runs operations one at a time and so never sees half a write; a read by
 * `_id` while no write is queued or running is answered from nedb's in-memory index directly.
 */

useSynchronousAppends();
useFastSerialize();

const datafileSuffix = '.db';
/** Compact when this many lines were appended since the last compaction (and at least as many as live documents). */
const minAppendsBeforeCompaction = 1000;

function onlyId(query: Record<string, unknown>): boolean {
  for (const key in query) if (key !== '_id') return false;
  return true;
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { errorType?: unknown } | null)?.errorType === 'uniqueViolated';
}

class EmbeddedCollection<T extends Document> implements Collection<T> {
  private readonly ready: Promise<Datastore<T>>;
  private writes: Promise<unknown> = Promise.resolve();
  /** Writes queued or running: while there are any, reads queue behind them in nedb. */
  private pendingWrites = 0;
  /** The datastore once loaded, for the reads answered straight from memory. */
  private loadedDb: Datastore<T> | null = null;
  private appendsSinceCompaction = 0;
  private liveDocsAtCompaction = 0;
  private compacting: Promise<void> | null = null;

  constructor(
    private readonly name: string,
    private readonly filename: string,
    private readonly logger: Logger,
    private readonly isClosed: () => boolean,
  ) {
    this.ready = this.load();
    this.ready.catch(() => undefined); // reported to whoever awaits it; not an unhandled rejection
  }

  private async load(): Promise<Datastore<T>> {
    for (const file of [this.filename, `${this.filename}~`]) {
      const droppedBytes = await dropTornFinalLine(file);
      if (droppedBytes > 0) {
        this.logger.warn(
          { collection: this.name, droppedBytes },
          'embedded store: dropped an unacknowledged, torn final line left by a crash',
        );
      }
    }
    // Zero tolerance: the only damage a crash can cause was repaired above, anything else is real corruption.
    const db = new Datastore<T>({ filename: this.filename, corruptAlertThreshold: 0 });
    try {
      await db.loadDatabaseAsync();
    } catch (error) {
      throw new Error(`embedded store: cannot load ${this.filename}: ${(error as Error).message}`, { cause: error });
    }
    this.liveDocsAtCompaction = db.getAllData().length;
    this.loadedDb = db;
    return db;
  }

  /** Resolves once the datafile is loaded; rejects if it cannot be. */
  async loaded(): Promise<void> {
    await this.ready;
  }

  private async read<R>(work: (db: Datastore<T>) => Promise<R>): Promise<R> {
    this.assertOpen();
    return work(await this.ready);
  }

  /** After close the directory lock is gone, so a kept collection handle must not write any more. */
  private assertOpen(): void {
    if (this.isClosed()) throw new Error('embedded store is closed');
  }

  private write<R>(work: (db: Datastore<T>) => Promise<R>): Promise<R> {
    this.assertOpen();
    this.pendingWrites += 1;
    const run = this.writes.then(async () => {
      try {
        return await work(await this.ready);
      } catch (error) {
        throw isUniqueViolation(error) ? new DuplicateKeyError(this.name) : error;
      } finally {
        this.pendingWrites -= 1;
      }
    });
    this.writes = run.catch(() => undefined);
    return run;
  }

  /** nedb files only grow until compacted; compact once the appended lines outnumber the live documents. */
  private noteAppends(db: Datastore<T>, lines: number): void {
    this.appendsSinceCompaction += lines;
    if (this.compacting || this.appendsSinceCompaction < Math.max(minAppendsBeforeCompaction, this.liveDocsAtCompaction)) {
      return;
    }
    this.appendsSinceCompaction = 0;
    this.liveDocsAtCompaction = db.getAllData().length;
    this.compacting = db
      .compactDatafileAsync()
      .catch((error: unknown) => this.logger.error({ collection: this.name, err: error }, 'embedded store: compaction failed'))
      .finally(() => {
        this.compacting = null;
      });
  }

  /**
   * The stored documents an `_id` lookup can match, straight from nedb's _id index (no cursor, no
   * copies); undefined when the query does not name one `_id`. Callers copy what they hand out.
   */
  private byId(db: Datastore<T>, query: Record<string, unknown>): T[] | undefined {
    const id = query._id;
    const internals = internalsOf(db);
    if (typeof id !== 'string' || Object.keys(internals.ttlIndexes).length > 0) return undefined;
    return internals.indexes._id!.getMatching(id) as T[];
  }

  /** The stored document (not a copy) matching an `_id` query, or undefined when `byId` does not apply. */
  private storedMatch(db: Datastore<T>, query: Record<string, unknown>): T | null | undefined {
    const candidates = this.byId(db, query);
    if (candidates === undefined) return undefined;
    // The index compares strings exactly, so a query of the `_id` alone matches what it finds.
    if (onlyId(query)) return candidates[0] ?? null;
    return candidates.find((doc) => nedbModel.match(doc, query)) ?? null;
  }

  /**
   * Replaces the stored document with `doc` (a fresh copy nobody else holds) as nedb's update
   * would, without its second lookup and its copy: indexes, then the datafile append, inside
   * nedb's queue so a compaction never runs in between.
   */
  private async replace(db: Datastore<T>, doc: T): Promise<void> {
    nedbModel.checkObject(doc);
    const internals = internalsOf(db);
    const stored = internals.indexes._id!.getMatching(doc._id)[0];
    if (stored === undefined) throw new Error(`embedded store: ${this.name} lost ${doc._id} during a write`);
    await internals.executor.pushAsync(async () => {
      internals._updateIndexes([{ oldDoc: stored, newDoc: doc }]);
      await internals.persistence.persistNewStateAsync([doc]);
    });
    this.noteAppends(db, 1);
  }

  private async insert(db: Datastore<T>, doc: T): Promise<void> {
    await db.insertAsync(doc);
    this.noteAppends(db, 1);
  }

  /** Applies `update` to `before`; writes only if something changed. Returns the new document and whether it changed. */
  private async modify(db: Datastore<T>, before: T, update: Update): Promise<{ after: T; modified: boolean }> {
    const after = applyUpdate(before, update, false);
    if (isDeepStrictEqual(before, after)) return { after: before, modified: false };
    await this.replace(db, after);
    return { after, modified: true };
  }

  private upsertDocument(filter: Filter, update: Update): T {
    const doc = applyUpdate(upsertSeed(filter), update, true);
    doc._id ??= randomUUID();
    assertValidDocument(doc as T);
    return doc as T;
  }

  async insertOne(doc: T): Promise<void> {
    assertValidDocument(doc);
    const copy = copyWithoutUndefined(doc);
    return this.write((db) => this.insert(db, copy));
  }

  async findOne(filter: Filter): Promise<T | null> {
    const query = toNedbQuery(filter);
    // No write queued or running: memory holds exactly what the datafile does, so read it there.
    if (this.loadedDb && this.pendingWrites === 0) {
      this.assertOpen();
      const stored = this.storedMatch(this.loadedDb, query);
      if (stored !== undefined) return stored === null ? null : nedbModel.deepCopy(stored);
    }
    return this.read(async (db) => (await db.findOneAsync(query)) as T | null);
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    const query = toNedbQuery(filter);
    assertValidFindOptions(options);
    return this.read(async (db) => {
      let cursor = db.findAsync(query);
      if (options.sort) cursor = cursor.sort(options.sort);
      if (options.skip) cursor = cursor.skip(options.skip);
      if (options.limit) cursor = cursor.limit(options.limit);
      return (await cursor) as unknown as T[];
    });
  }

  async countDocuments(filter: Filter): Promise<number> {
    const query = toNedbQuery(filter);
    return this.read(async (db) => (await db.countAsync(query)) as unknown as number);
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    const query = toNedbQuery(filter);
    assertValidUpdate(update);
    assertPortableUpdateValues(update);
    const changes = copyWithoutUndefined(update);
    return this.write(async (db) => {
      const stored = this.storedMatch(db, query);
      const before = stored === undefined ? ((await db.findOneAsync(query)) as T | null) : stored;
      if (before) {
        const { modified } = await this.modify(db, before, changes);
        return { matchedCount: 1, modifiedCount: modified ? 1 : 0, upsertedId: null };
      }
      if (!options.upsert) return { matchedCount: 0, modifiedCount: 0, upsertedId: null };
      const inserted = this.upsertDocument(filter, changes);
      await this.insert(db, inserted);
      return { matchedCount: 0, modifiedCount: 0, upsertedId: inserted._id };
    });
  }

  async updateMany(filter: Filter, update: Update): Promise<{ matchedCount: number }> {
    const query = toNedbQuery(filter);
    assertValidUpdate(update);
    assertPortableUpdateValues(update);
    const changes = copyWithoutUndefined(update);
    return this.write(async (db) => {
      const matches = (await db.findAsync(query)) as unknown as T[];
      for (const before of matches) await this.modify(db, before, changes);
      return { matchedCount: matches.length };
    });
  }

  async findOneAndUpdate(filter: Filter, update: Update, options: { sort?: Record<string, 1 | -1> } = {}): Promise<T | null> {
    const query = toNedbQuery(filter);
    assertValidFindOptions(options);
    assertValidUpdate(update);
    assertPortableUpdateValues(update);
    const changes = copyWithoutUndefined(update);
    return this.write(async (db) => {
      const stored = options.sort ? undefined : this.storedMatch(db, query);
      const before = stored === undefined ? await this.firstMatch(db, query, options.sort) : stored;
      if (!before) return null;
      // What was stored (or now is): hand out a copy.
      return nedbModel.deepCopy((await this.modify(db, before, changes)).after);
    });
  }

  private async firstMatch(db: Datastore<T>, query: Record<string, unknown>, sort?: Record<string, 1 | -1>): Promise<T | null> {
    let cursor = db.findAsync(query).limit(1);
    if (sort) cursor = cursor.sort(sort);
    const [first] = (await cursor) as unknown as T[];
    return first ?? null;
  }

  async deleteOne(filter: Filter): Promise<{ deletedCount: number }> {
    const query = toNedbQuery(filter);
    return this.write(async (db) => {
      const deletedCount = await db.removeAsync(query, { multi: false });
      this.noteAppends(db, deletedCount);
      return { deletedCount };
    });
  }

  async deleteMany(filter: Filter): Promise<{ deletedCount: number }> {
    const query = toNedbQuery(filter);
    return this.write(async (db) => {
      const deletedCount = await db.removeAsync(query, { multi: true });
      this.noteAppends(db, deletedCount);
      return { deletedCount };
    });
  }

  async createIndex(fields: Record<string, 1 | -1>, options: { unique?: boolean } = {}): Promise<void> {
    const fieldNames = Object.keys(fields);
    if (fieldNames.length === 0) throw new InvalidStoreInputError('an index needs at least one field');
    assertValidFindOptions({ sort: fields }); // same rules: valid paths, directions 1 or -1
    return this.write(async (db) => {
      await db.ensureIndexAsync({ fieldName: fieldNames.length === 1 ? fieldNames[0] : fieldNames, unique: options.unique ?? false });
      this.noteAppends(db, 1);
    });
  }

  /** Waits for loading, queued writes and any running compaction, so nothing touches the files after close. */
  async drain(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.writes;
    await this.compacting;
    releaseAppendFile(this.filename);
  }
}

class EmbeddedStore implements DocumentStore {
  readonly kind = 'embedded' as const;
  private readonly collections = new Map<string, EmbeddedCollection<Document>>();
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly lock: DataDirLock,
    private readonly logger: Logger,
  ) {}

  open(name: string): EmbeddedCollection<Document> {
    if (this.closed) throw new Error('embedded store is closed');
    assertCollectionName(name);
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new EmbeddedCollection(name, path.join(this.dir, `${name}${datafileSuffix}`), this.logger, () => this.closed);
      this.collections.set(name, collection);
    }
    return collection;
  }

  collection<T extends Document>(name: string): Collection<T> {
    return this.open(name) as unknown as Collection<T>;
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('embedded store is closed');
    await fs.access(this.dir, constants.W_OK);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.collections.values()].map((collection) => collection.drain()));
    await this.lock.release();
  }
}

/**
 * Opens (creating if needed) the store under `dir`, taking its lock and loading every existing
 * collection, so that a damaged datafile stops start-up rather than a later request.
 */
export async function openEmbeddedStore(dir: string, logger: Logger): Promise<DocumentStore> {
  const lock = await lockDataDir(dir);
  try {
    const store = new EmbeddedStore(dir, lock, logger);
    const names = (await fs.readdir(dir))
      .filter((file) => file.endsWith(datafileSuffix))
      .map((file) => file.slice(0, -datafileSuffix.length))
      .filter(isValidCollectionName);
    await Promise.all(names.map((name) => store.open(name).loaded()));
    return store;
  } catch (error) {
    await lock.release();
    throw error;
  }
}
