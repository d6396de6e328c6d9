/**
 * The document-store port: a small subset of the MongoDB collection API.
 * Repositories are written once against it; `embedded` and `mongodb` adapters implement it.
 * Filters and updates use MongoDB syntax restricted to what both adapters support.
 */

export type Document = { _id: string } & Record<string, unknown>;

type Comparable = string | number | boolean | Date | null;
export type FieldCondition =
  | Comparable
  | {
      $eq?: Comparable;
      $ne?: Comparable;
      $in?: Comparable[];
      $nin?: Comparable[];
      $lt?: Comparable;
      $lte?: Comparable;
      $gt?: Comparable;
      $gte?: Comparable;
      $exists?: boolean;
    };

export type Filter = { [field: string]: FieldCondition | Filter[] | undefined } & {
  $or?: Filter[];
  $and?: Filter[];
};

export interface Update {
  $set?: Record<string, unknown>;
  $unset?: Record<string, true | '' | 1>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown>;
  /** Applied only when an upsert inserts. */
  $setOnInsert?: Record<string, unknown>;
}

export interface FindOptions {
  sort?: Record<string, 1 | -1>;
  limit?: number;
  skip?: number;
}

export interface UpdateResult {
  matchedCount: number;
  modifiedCount: number;
  upsertedId: string | null;
}

export interface Collection<T extends Document> {
  /** Rejects with `DuplicateKeyError` when `_id` (or a unique index) already exists. */
  insertOne(doc: T): Promise<void>;
  findOne(filter: Filter): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  countDocuments(filter: Filter): Promise<number>;
  updateOne(filter: Filter, update: Update, options?: { upsert?: boolean }): Promise<UpdateResult>;
  updateMany(filter: Filter, update: Update): Promise<{ matchedCount: number }>;
  /** Atomically updates one matching document and returns it as it is after the update. */
  findOneAndUpdate(filter: Filter, update: Update, options?: { sort?: Record<string, 1 | -1> }): Promise<T | null>;
  deleteOne(filter: Filter): Promise<{ deletedCount: number }>;
  deleteMany(filter: Filter): Promise<{ deletedCount: number }>;
  createIndex(fields: Record<string, 1 | -1>, options?: { unique?: boolean }): Promise<void>;
}

export interface DocumentStore {
  readonly kind: 'embedded' | 'mongodb';
  collection<T extends Document>(name: string): Collection<T>;
  /** Resolves when the store answers; used by `/readyz`. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class DuplicateKeyError extends Error {
  constructor(collection: string) {
    super(`duplicate key in collection ${collection}`);
    this.name = 'DuplicateKeyError';
  }
}
