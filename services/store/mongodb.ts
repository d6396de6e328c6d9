import { randomUUID } from 'node:crypto';
import {
  MongoClient,
  MongoServerError,
  type Collection as DriverCollection,
  type Db,
  type Document as DriverDocument,
  type Filter as DriverFilter,
  type UpdateFilter,
} from 'mongodb';
import type { Logger } from '../logging';
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
  assertValidFilter,
  assertValidFindOptions,
  assertValidUpdate,
  InvalidStoreInputError,
  upsertIdFromFilter,
} from './store-input';

/**
 * The MongoDB adapter (MongoDB, Atlas, Cosmos DB for MongoDB, FerretDB), on the official driver.
 *
 * FerretDB v1 does not apply an update atomically: it reads the matching document, then writes
 * it back by `_id` without re-checking the filter, so two concurrent conditional updates (claims,
 * eTag checks, `$inc`) can both succeed (measured: 14 of 16 concurrent claims of one document
 * "won"). On FerretDB v1 this adapter therefore runs the writes of each collection one at a time.
 * That makes one process correct; several processes sharing one FerretDB v1 are still not.
 */

const duplicateKeyCodes = new Set([11000, 11001]);
/**
 * FerretDB v1 reports a unique violation caught by its SQL backend (an update, or building a
 * unique index over duplicates) as InternalError (code 1) carrying the backend's message.
 */
const backendUniqueViolation = /UNIQUE constraint failed|duplicate key value violates unique constraint/;

function isDuplicateKey(error: unknown): boolean {
  if (!(error instanceof MongoServerError)) return false;
  if (typeof error.code === 'number' && duplicateKeyCodes.has(error.code)) return true;
  return error.code === 1 && backendUniqueViolation.test(error.message);
}

/** A string `_id` for an upsert whose filter does not fix one (MongoDB would invent an ObjectId). */
function withUpsertId(filter: Filter, update: Update): Update {
  if (upsertIdFromFilter(filter) !== undefined || update.$setOnInsert?._id !== undefined) return update;
  return { ...update, $setOnInsert: { ...update.$setOnInsert, _id: randomUUID() } };
}

function checkUpdate(update: Update): void {
  assertValidUpdate(update);
  assertPortableUpdateValues(update);
}

class MongoCollection<T extends Document> implements Collection<T> {
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly name: string,
    private readonly driver: DriverCollection<DriverDocument>,
    private readonly serialiseWrites: boolean,
  ) {}

  private async run<R>(operation: () => Promise<R>): Promise<R> {
    try {
      return await operation();
    } catch (error) {
      throw isDuplicateKey(error) ? new DuplicateKeyError(this.name) : error;
    }
  }

  private write<R>(operation: () => Promise<R>): Promise<R> {
    if (!this.serialiseWrites) return this.run(operation);
    const queued = this.writes.then(() => this.run(operation));
    this.writes = queued.catch(() => undefined);
    return queued;
  }

  async insertOne(doc: T): Promise<void> {
    assertValidDocument(doc);
    await this.write(() => this.driver.insertOne({ ...doc } as DriverDocument));
  }

  async findOne(filter: Filter): Promise<T | null> {
    assertValidFilter(filter);
    return (await this.run(() => this.driver.findOne(filter as DriverFilter<DriverDocument>))) as T | null;
  }

  async find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    assertValidFilter(filter);
    assertValidFindOptions(options);
    const { sort, skip, limit } = options;
    return (await this.run(() =>
      this.driver.find(filter as DriverFilter<DriverDocument>, { sort, skip, limit }).toArray(),
    )) as unknown as T[];
  }

  async countDocuments(filter: Filter): Promise<number> {
    assertValidFilter(filter);
    return this.run(() => this.driver.countDocuments(filter as DriverFilter<DriverDocument>));
  }

  async updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    assertValidFilter(filter);
    checkUpdate(update);
    const upsert = options.upsert === true;
    const changes = (upsert ? withUpsertId(filter, update) : update) as UpdateFilter<DriverDocument>;
    const result = await this.write(() =>
      this.driver.updateOne(filter as DriverFilter<DriverDocument>, changes, { upsert }),
    );
    return {
      matchedCount: result.matchedCount,
      modifiedCount: result.modifiedCount,
      upsertedId: result.upsertedId === null || result.upsertedId === undefined ? null : String(result.upsertedId),
    };
  }

  async updateMany(filter: Filter, update: Update): Promise<{ matchedCount: number }> {
    assertValidFilter(filter);
    checkUpdate(update);
    const result = await this.write(() =>
      this.driver.updateMany(filter as DriverFilter<DriverDocument>, update as UpdateFilter<DriverDocument>),
    );
    return { matchedCount: result.matchedCount };
  }

  async findOneAndUpdate(filter: Filter, update: Update, options: { sort?: Record<string, 1 | -1> } = {}): Promise<T | null> {
    assertValidFilter(filter);
    assertValidFindOptions(options);
    checkUpdate(update);
    return (await this.write(() =>
      this.driver.findOneAndUpdate(filter as DriverFilter<DriverDocument>, update as UpdateFilter<DriverDocument>, {
        sort: options.sort,
        returnDocument: 'after',
        includeResultMetadata: false,
      }),
    )) as T | null;
  }

  async deleteOne(filter: Filter): Promise<{ deletedCount: number }> {
    assertValidFilter(filter);
    const { deletedCount } = await this.write(() => this.driver.deleteOne(filter as DriverFilter<DriverDocument>));
    return { deletedCount };
  }

  async deleteMany(filter: Filter): Promise<{ deletedCount: number }> {
    assertValidFilter(filter);
    const { deletedCount } = await this.write(() => this.driver.deleteMany(filter as DriverFilter<DriverDocument>));
    return { deletedCount };
  }

  async createIndex(fields: Record<string, 1 | -1>, options: { unique?: boolean } = {}): Promise<void> {
    if (Object.keys(fields).length === 0) throw new InvalidStoreInputError('an index needs at least one field');
    assertValidFindOptions({ sort: fields }); // same rules: valid paths, directions 1 or -1
    await this.write(() => this.driver.createIndex(fields, options.unique ? { unique: true } : {}));
  }
}

class MongoStore implements DocumentStore {
  readonly kind = 'mongodb' as const;
  private readonly collections = new Map<string, MongoCollection<Document>>();

  constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly serialiseWrites: boolean,
  ) {}

  collection<T extends Document>(name: string): Collection<T> {
    assertCollectionName(name);
    let collection = this.collections.get(name);
    if (!collection) {
      collection = new MongoCollection(name, this.db.collection(name), this.serialiseWrites);
      this.collections.set(name, collection);
    }
    return collection as unknown as Collection<T>;
  }

  async ping(): Promise<void> {
    await this.db.command({ ping: 1 });
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}

async function ferretDbVersion(db: Db): Promise<string | undefined> {
  try {
    const info = await db.admin().command({ buildInfo: 1 });
    return typeof info.ferretdbVersion === 'string' ? info.ferretdbVersion : undefined;
  } catch {
    return undefined; // a server that hides buildInfo is not FerretDB
  }
}

/** Connects (failing loudly if the server cannot be reached) and returns the store. */
export async function openMongoStore(uri: string, dbName: string, logger: Logger): Promise<DocumentStore> {
  // Object options override the URI's, so the start-up timeout applies only when the URI sets none.
  const timeoutInUri = /[?&]serverSelectionTimeoutMS=/i.test(uri);
  const client = new MongoClient(uri, {
    ignoreUndefined: true,
    appName: 'tribe',
    ...(timeoutInUri ? {} : { serverSelectionTimeoutMS: 10_000 }),
  });
  await client.connect();
  try {
    const db = client.db(dbName);
    const ferretdb = await ferretDbVersion(db);
    const serialiseWrites = ferretdb?.startsWith('v1.') ?? false;
    if (serialiseWrites) {
      logger.warn(
        { ferretdb },
        'FerretDB v1 does not update documents atomically: writes are serialised in this process; do not run several instances against it',
      );
    }
    return new MongoStore(client, db, serialiseWrites);
  } catch (error) {
    await client.close();
    throw error;
  }
}
