import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../services/store/open-store';
import { DuplicateKeyError, type Collection, type Document, type DocumentStore, type Filter } from '../../services/store/port';
import { testMongoUri } from '../support/ferretdb';
import { adapters, freshCollectionName, silentLogger, type OpenedStore } from '../support/stores-under-test';

/**
 * The document-store contract: every adapter must pass this same suite. The embedded adapter runs
 * in a temp directory; the MongoDB adapter against the test server (FerretDB, or MONGODB_URI).
 */

type Item = Document;

describe.each(adapters)('store contract: %s adapter', (kind, open) => {
  let opened: OpenedStore;
  let store: DocumentStore;
  let items: Collection<Item>;

  beforeAll(async () => {
    opened = await open();
    store = opened.store;
  });
  afterAll(async () => {
    await opened?.dispose();
  });
  beforeEach(() => {
    items = store.collection<Item>(freshCollectionName());
  });

  const ids = (docs: Item[]) => docs.map((doc) => doc._id);
  const sortedIds = async (filter: Filter) => ids(await items.find(filter)).sort();

  it('reports its kind and answers ping', async () => {
    expect(store.kind).toBe(kind);
    await expect(store.ping()).resolves.toBeUndefined();
  });

  describe('insertOne and findOne', () => {
    it('round-trips strings, numbers, booleans, null, dates, arrays and nested objects as plain objects', async () => {
      const doc = {
        _id: 'a',
        text: 'hello',
        count: 3,
        ratio: 0.5,
        ok: true,
        nothing: null,
        at: new Date('2026-01-02T03:04:05.678Z'),
        tags: ['x', 'y'],
        nested: { deep: { value: 1 }, list: [{ n: 1 }, { n: 2 }] },
      };
      await items.insertOne(doc);
      const found = await items.findOne({ _id: 'a' });
      expect(found).toEqual(doc);
      expect(found?.at).toBeInstanceOf(Date);
      expect(Object.getPrototypeOf(found)).toBe(Object.prototype);
    });

    it('returns copies: changing a result does not change the store', async () => {
      await items.insertOne({ _id: 'a', nested: { n: 1 } });
      const found = (await items.findOne({ _id: 'a' })) as Item & { nested: { n: number } };
      found.nested.n = 99;
      expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', nested: { n: 1 } });
    });

    it('leaves out undefined fields', async () => {
      await items.insertOne({ _id: 'a', kept: 1, dropped: undefined });
      expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', kept: 1 });
      expect(Object.keys((await items.findOne({ _id: 'a' })) as Item)).not.toContain('dropped');
    });

    it('returns null when nothing matches', async () => {
      expect(await items.findOne({ _id: 'missing' })).toBeNull();
    });

    it('rejects a second document with the same _id with DuplicateKeyError, keeping the first', async () => {
      await items.insertOne({ _id: 'a', v: 1 });
      await expect(items.insertOne({ _id: 'a', v: 2 })).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', v: 1 });
    });

    it.each([
      ['no _id', { v: 1 }],
      ['an empty _id', { _id: '', v: 1 }],
      ['a numeric _id', { _id: 7, v: 1 }],
      ['a dotted field name', { _id: 'a', 'x.y': 1 }],
      ['a $ field name', { _id: 'a', nested: { $bad: 1 } }],
      ['an array instead of a document', ['a']],
    ])('rejects a document with %s', async (_case, bad) => {
      await expect(items.insertOne(bad as unknown as Item)).rejects.toThrow();
      expect(await items.countDocuments({})).toBe(0);
    });
  });

  describe('filters', () => {
    beforeEach(async () => {
      await items.insertOne({ _id: 'a', n: 1, s: 'apple', flag: true, at: new Date('2026-01-01'), tags: ['red', 'green'], sub: { k: 'x' } });
      await items.insertOne({ _id: 'b', n: 2, s: 'banana', flag: false, at: new Date('2026-02-01'), tags: ['blue'], sub: { k: 'y' } });
      await items.insertOne({ _id: 'c', n: 3, s: 'cherry', flag: true, at: new Date('2026-03-01'), tags: [], nullable: null });
      await items.insertOne({ _id: 'd', s: 'date' });
    });

    it.each<[string, Filter, string[]]>([
      ['empty filter', {}, ['a', 'b', 'c', 'd']],
      ['plain equality', { s: 'banana' }, ['b']],
      ['$eq', { n: { $eq: 2 } }, ['b']],
      ['$ne (includes missing fields)', { n: { $ne: 2 } }, ['a', 'c', 'd']],
      ['$in', { n: { $in: [1, 3, 42] } }, ['a', 'c']],
      ['$nin (includes missing fields)', { n: { $nin: [1, 3] } }, ['b', 'd']],
      ['$lt', { n: { $lt: 2 } }, ['a']],
      ['$lte', { n: { $lte: 2 } }, ['a', 'b']],
      ['$gt', { n: { $gt: 2 } }, ['c']],
      ['$gte', { n: { $gte: 2 } }, ['b', 'c']],
      ['a range on strings', { s: { $gte: 'b', $lt: 'd' } }, ['b', 'c']],
      ['a range on dates', { at: { $gt: new Date('2026-01-15'), $lte: new Date('2026-03-01') } }, ['b', 'c']],
      ['equality on a date', { at: new Date('2026-02-01') }, ['b']],
      ['booleans', { flag: true }, ['a', 'c']],
      ['$exists: true', { n: { $exists: true } }, ['a', 'b', 'c']],
      ['$exists: false', { n: { $exists: false } }, ['d']],
      ['null matches null and missing', { nullable: null }, ['a', 'b', 'c', 'd']],
      ['$ne null excludes null and missing', { nullable: { $ne: null } }, []],
      ['$in with null matches missing', { n: { $in: [null, 2] } }, ['b', 'd']],
      ['an array field contains a value', { tags: 'red' }, ['a']],
      ['$in on an array field', { tags: { $in: ['blue', 'green'] } }, ['a', 'b']],
      ['$ne on an array field excludes arrays containing it', { tags: { $ne: 'red' } }, ['b', 'c', 'd']],
      ['$nin on an array field', { tags: { $nin: ['red', 'blue'] } }, ['c', 'd']],
      ['a dotted path', { 'sub.k': 'y' }, ['b']],
      ['$or', { $or: [{ n: 1 }, { s: 'date' }] }, ['a', 'd']],
      ['$and', { $and: [{ flag: true }, { n: { $gt: 1 } }] }, ['c']],
      ['fields are ANDed', { flag: true, n: { $lt: 3 } }, ['a']],
      ['$or nested in $and', { $and: [{ $or: [{ n: 1 }, { n: 2 }] }, { flag: false }] }, ['b']],
      ['undefined conditions are ignored', { n: undefined, s: 'apple' }, ['a']],
    ])('%s', async (_name, filter, expected) => {
      expect(await sortedIds(filter)).toEqual(expected);
      expect(await items.countDocuments(filter)).toBe(expected.length);
    });

    it.each<[string, unknown]>([
      ['an unknown operator', { n: { $near: 1 } }],
      ['an unknown top-level operator', { $where: 'true' }],
      ['$in without an array', { n: { $in: 1 } }],
      ['$nin without an array', { n: { $nin: 'x' } }],
      ['an empty $or', { $or: [] }],
      ['$and without an array', { $and: { n: 1 } }],
      ['operators mixed with field names', { sub: { $exists: true, k: 'x' } }],
      ['$exists with a non-boolean', { n: { $exists: 'yes' } }],
      ['a filter that is not an object', 'a'],
    ])('rejects %s', async (_name, filter) => {
      await expect(items.find(filter as Filter)).rejects.toThrow();
      await expect(items.findOne(filter as Filter)).rejects.toThrow();
      await expect(items.countDocuments(filter as Filter)).rejects.toThrow();
    });
  });

  describe('find options', () => {
    beforeEach(async () => {
      for (const [id, group, rank] of [['a', 2, 1], ['b', 1, 2], ['c', 2, 3], ['d', 1, 4], ['e', 3, 5]] as const) {
        await items.insertOne({ _id: id, group, rank });
      }
    });

    it('sorts ascending and descending, by several keys in order', async () => {
      expect(ids(await items.find({}, { sort: { rank: -1 } }))).toEqual(['e', 'd', 'c', 'b', 'a']);
      expect(ids(await items.find({}, { sort: { group: 1, rank: -1 } }))).toEqual(['d', 'b', 'c', 'a', 'e']);
    });

    it('skips and limits after sorting', async () => {
      expect(ids(await items.find({}, { sort: { rank: 1 }, skip: 1, limit: 2 }))).toEqual(['b', 'c']);
      expect(ids(await items.find({ group: 2 }, { sort: { rank: 1 }, limit: 1 }))).toEqual(['a']);
      expect(ids(await items.find({}, { sort: { rank: 1 }, skip: 4 }))).toEqual(['e']);
      expect(await items.find({}, { skip: 10 })).toEqual([]);
    });

    it.each([
      ['a sort direction other than 1 or -1', { sort: { rank: 2 } }],
      ['a negative limit', { limit: -1 }],
      ['a fractional skip', { skip: 1.5 }],
    ])('rejects %s', async (_name, options) => {
      await expect(items.find({}, options as never)).rejects.toThrow();
    });
  });

  describe('updateOne', () => {
    beforeEach(async () => {
      await items.insertOne({ _id: 'a', n: 1, s: 'x', list: [1], nested: { keep: true } });
    });

    it('applies $set (creating nested paths), $unset, $inc and $push together', async () => {
      const result = await items.updateOne(
        { _id: 'a' },
        { $set: { s: 'y', 'nested.added.deep': 2 }, $unset: { 'nested.keep': true }, $inc: { n: 2, fresh: 5 }, $push: { list: 2, newList: 'z' } },
      );
      expect(result).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      expect(await items.findOne({ _id: 'a' })).toEqual({
        _id: 'a',
        n: 3,
        fresh: 5,
        s: 'y',
        list: [1, 2],
        newList: ['z'],
        nested: { added: { deep: 2 } },
      });
    });

    it('pushes several values with $each', async () => {
      await items.updateOne({ _id: 'a' }, { $push: { list: { $each: [2, 3] } } });
      expect((await items.findOne({ _id: 'a' }))?.list).toEqual([1, 2, 3]);
    });

    it('reports modifiedCount 0 when nothing changes', async () => {
      expect(await items.updateOne({ _id: 'a' }, { $set: { s: 'x' } })).toEqual({ matchedCount: 1, modifiedCount: 0, upsertedId: null });
    });

    it('updates only one of several matches', async () => {
      await items.insertOne({ _id: 'b', n: 1 });
      expect((await items.updateOne({ n: 1 }, { $set: { hit: true } })).matchedCount).toBe(1);
      expect(await items.countDocuments({ hit: true })).toBe(1);
    });

    it('matches nothing without upsert', async () => {
      expect(await items.updateOne({ _id: 'zzz' }, { $set: { s: 'y' } })).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: null });
      expect(await items.countDocuments({})).toBe(1);
    });

    it('upserts from the filter equalities plus $set and $setOnInsert', async () => {
      const result = await items.updateOne(
        { _id: 'new', kind: 'job', attempts: { $lt: 3 } },
        { $set: { status: 'queued' }, $setOnInsert: { createdBy: 'test' }, $inc: { attempts: 1 } },
        { upsert: true },
      );
      expect(result).toEqual({ matchedCount: 0, modifiedCount: 0, upsertedId: 'new' });
      expect(await items.findOne({ _id: 'new' })).toEqual({ _id: 'new', kind: 'job', status: 'queued', createdBy: 'test', attempts: 1 });
    });

    it('ignores $setOnInsert when the upsert matches', async () => {
      const result = await items.updateOne({ _id: 'a' }, { $set: { s: 'z' }, $setOnInsert: { createdBy: 'test' } }, { upsert: true });
      expect(result).toEqual({ matchedCount: 1, modifiedCount: 1, upsertedId: null });
      const found = await items.findOne({ _id: 'a' });
      expect(found?.s).toBe('z');
      expect(found).not.toHaveProperty('createdBy');
    });

    it('treats an update of only $setOnInsert on a match as a no-op', async () => {
      expect(await items.updateOne({ _id: 'a' }, { $setOnInsert: { s: 'q' } }, { upsert: true })).toEqual({
        matchedCount: 1,
        modifiedCount: 0,
        upsertedId: null,
      });
      expect((await items.findOne({ _id: 'a' }))?.s).toBe('x');
    });

    it('gives an upserted document a string _id when the filter has none', async () => {
      const result = await items.updateOne({ email: 'someone@example.invalid' }, { $set: { n: 1 } }, { upsert: true });
      expect(typeof result.upsertedId).toBe('string');
      expect(await items.findOne({ email: 'someone@example.invalid' })).toEqual({ _id: result.upsertedId, email: 'someone@example.invalid', n: 1 });
    });

    it('takes the _id of an upsert from $setOnInsert', async () => {
      const result = await items.updateOne({ code: 'k' }, { $setOnInsert: { _id: 'chosen' } }, { upsert: true });
      expect(result.upsertedId).toBe('chosen');
      expect(await items.findOne({ _id: 'chosen' })).toEqual({ _id: 'chosen', code: 'k' });
    });

    it.each<[string, unknown]>([
      ['a replacement document', { s: 'y' }],
      ['an empty update', {}],
      ['an unknown operator', { $rename: { s: 't' } }],
      ['operators mixed with fields', { $set: { s: 'y' }, n: 2 }],
      ['$set of _id', { $set: { _id: 'b' } }],
      ['$inc by a non-number', { $inc: { n: 'one' } }],
      ['the same path in two operators', { $set: { n: 5 }, $inc: { n: 1 } }],
      ['a path inside another', { $set: { nested: {}, 'nested.keep': false } }],
      ['a dotted field name in a value', { $set: { nested: { 'a.b': 1 } } }],
    ])('rejects %s and changes nothing', async (_name, update) => {
      await expect(items.updateOne({ _id: 'a' }, update as never)).rejects.toThrow();
      expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 1, s: 'x', list: [1], nested: { keep: true } });
    });

    it.each<[string, unknown]>([
      ['$inc of a string field', { $inc: { s: 1 } }],
      ['$push to a non-array', { $push: { n: 2 } }],
    ])('rejects %s and changes nothing', async (_name, update) => {
      await expect(items.updateOne({ _id: 'a' }, update as never)).rejects.toThrow();
      expect(await items.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 1, s: 'x', list: [1], nested: { keep: true } });
    });
  });

  describe('updateMany', () => {
    it('updates every match and reports how many matched', async () => {
      for (const id of ['a', 'b', 'c']) await items.insertOne({ _id: id, status: id === 'c' ? 'done' : 'open', n: 0 });
      expect(await items.updateMany({ status: 'open' }, { $set: { status: 'closed' }, $inc: { n: 1 } })).toEqual({ matchedCount: 2 });
      expect(await sortedIds({ status: 'closed', n: 1 })).toEqual(['a', 'b']);
      expect(await items.updateMany({ status: 'nothing' }, { $set: { n: 9 } })).toEqual({ matchedCount: 0 });
    });

    it('rejects a bad update', async () => {
      await items.insertOne({ _id: 'a' });
      await expect(items.updateMany({}, { n: 1 } as never)).rejects.toThrow();
    });
  });

  describe('findOneAndUpdate', () => {
    it('returns the document as it is after the update', async () => {
      await items.insertOne({ _id: 'a', status: 'pending', attempts: 0 });
      const claimed = await items.findOneAndUpdate({ _id: 'a', status: 'pending' }, { $set: { status: 'claimed' }, $inc: { attempts: 1 } });
      expect(claimed).toEqual({ _id: 'a', status: 'claimed', attempts: 1 });
      expect(await items.findOneAndUpdate({ _id: 'a', status: 'pending' }, { $set: { status: 'claimed' } })).toBeNull();
    });

    it('takes the first match in sort order', async () => {
      await items.insertOne({ _id: 'late', status: 'pending', due: new Date('2026-05-02') });
      await items.insertOne({ _id: 'early', status: 'pending', due: new Date('2026-05-01') });
      await items.insertOne({ _id: 'done', status: 'sent', due: new Date('2026-04-01') });
      const first = await items.findOneAndUpdate({ status: 'pending' }, { $set: { status: 'claimed' } }, { sort: { due: 1 } });
      expect(first?._id).toBe('early');
      const next = await items.findOneAndUpdate({ status: 'pending' }, { $set: { status: 'claimed' } }, { sort: { due: 1 } });
      expect(next?._id).toBe('late');
    });

    it('lets exactly one of many concurrent claims of one document win', async () => {
      await items.insertOne({ _id: 'job', status: 'pending' });
      const claims = await Promise.all(
        Array.from({ length: 25 }, (_, worker) =>
          items.findOneAndUpdate({ _id: 'job', status: 'pending' }, { $set: { status: 'claimed', worker } }),
        ),
      );
      const winners = claims.filter((claim) => claim !== null);
      expect(winners).toHaveLength(1);
      expect(await items.findOne({ _id: 'job' })).toEqual(winners[0]);
    });

    it('claims each of several documents exactly once under concurrency', async () => {
      for (let i = 0; i < 10; i += 1) await items.insertOne({ _id: `job${i}`, status: 'pending', order: i });
      const claims = await Promise.all(
        Array.from({ length: 30 }, () => items.findOneAndUpdate({ status: 'pending' }, { $set: { status: 'claimed' } }, { sort: { order: 1 } })),
      );
      const claimedIds = claims.filter((claim): claim is Item => claim !== null).map((claim) => claim._id);
      expect(claimedIds.sort()).toEqual(Array.from({ length: 10 }, (_, i) => `job${i}`).sort());
    });

    it('loses no increment under concurrency', async () => {
      await items.insertOne({ _id: 'counter', n: 0 });
      await Promise.all(Array.from({ length: 25 }, () => items.updateOne({ _id: 'counter' }, { $inc: { n: 1 } })));
      expect((await items.findOne({ _id: 'counter' }))?.n).toBe(25);
    });

    it('rejects a bad update', async () => {
      await items.insertOne({ _id: 'a' });
      await expect(items.findOneAndUpdate({ _id: 'a' }, { status: 'x' } as never)).rejects.toThrow();
    });
  });

  describe('deleteOne and deleteMany', () => {
    beforeEach(async () => {
      for (const id of ['a', 'b', 'c']) await items.insertOne({ _id: id, group: id === 'c' ? 2 : 1 });
    });

    it('deleteOne removes one match', async () => {
      expect(await items.deleteOne({ group: 1 })).toEqual({ deletedCount: 1 });
      expect(await items.countDocuments({ group: 1 })).toBe(1);
      expect(await items.deleteOne({ _id: 'missing' })).toEqual({ deletedCount: 0 });
    });

    it('deleteMany removes every match', async () => {
      expect(await items.deleteMany({ group: 1 })).toEqual({ deletedCount: 2 });
      expect(await sortedIds({})).toEqual(['c']);
      expect(await items.deleteMany({})).toEqual({ deletedCount: 1 });
      expect(await items.countDocuments({})).toBe(0);
    });

    it('rejects a bad filter', async () => {
      await expect(items.deleteMany({ group: { $foo: 1 } } as never)).rejects.toThrow();
      expect(await items.countDocuments({})).toBe(3);
    });
  });

  describe('createIndex', () => {
    it('enforces a unique index on insert and update with DuplicateKeyError', async () => {
      await items.createIndex({ email: 1 }, { unique: true });
      await items.insertOne({ _id: 'a', email: 'one@example.invalid' });
      await items.insertOne({ _id: 'b', email: 'two@example.invalid' });
      await expect(items.insertOne({ _id: 'c', email: 'one@example.invalid' })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(items.updateOne({ _id: 'b' }, { $set: { email: 'one@example.invalid' } })).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(
        items.updateOne({ _id: 'd' }, { $set: { email: 'two@example.invalid' } }, { upsert: true }),
      ).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await sortedIds({})).toEqual(['a', 'b']);
      expect((await items.findOne({ _id: 'b' }))?.email).toBe('two@example.invalid');
    });

    it('enforces a compound unique index on the combination only', async () => {
      await items.createIndex({ owner: 1, day: -1 }, { unique: true });
      await items.insertOne({ _id: 'a', owner: 'x', day: '2026-01-01' });
      await items.insertOne({ _id: 'b', owner: 'x', day: '2026-01-02' });
      await items.insertOne({ _id: 'c', owner: 'y', day: '2026-01-01' });
      await expect(items.insertOne({ _id: 'd', owner: 'x', day: '2026-01-01' })).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('is idempotent, and a non-unique index allows duplicates', async () => {
      await items.createIndex({ group: 1 });
      await items.createIndex({ group: 1 });
      await items.insertOne({ _id: 'a', group: 1 });
      await items.insertOne({ _id: 'b', group: 1 });
      expect(await items.countDocuments({ group: 1 })).toBe(2);
    });

    it('refuses a unique index over existing duplicates', async () => {
      await items.insertOne({ _id: 'a', code: 'same' });
      await items.insertOne({ _id: 'b', code: 'same' });
      await expect(items.createIndex({ code: 1 }, { unique: true })).rejects.toBeInstanceOf(DuplicateKeyError);
      await items.insertOne({ _id: 'c', code: 'same' });
    });

    it('rejects an index with no fields or a bad direction', async () => {
      await expect(items.createIndex({})).rejects.toThrow();
      await expect(items.createIndex({ a: 2 } as never)).rejects.toThrow();
    });
  });

  it('rejects an unsafe collection name', () => {
    expect(() => store.collection('../escape')).toThrow();
    expect(() => store.collection('')).toThrow();
  });

  it('keeps collections apart', async () => {
    const other = store.collection<Item>(freshCollectionName('other'));
    await items.insertOne({ _id: 'a' });
    await other.insertOne({ _id: 'a' });
    expect(await other.countDocuments({})).toBe(1);
  });
});

describe('openStore', () => {
  it('opens the embedded store under DATA_DIR when MONGODB_URI is not set', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'tribe-open-store-'));
    const store = await openStore({ MONGODB_URI: undefined, MONGODB_DB: 'tribe', DATA_DIR: dir }, silentLogger);
    try {
      expect(store.kind).toBe('embedded');
      await store.collection('items').insertOne({ _id: 'a' });
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('opens MongoDB when MONGODB_URI is set', async () => {
    const store = await openStore({ MONGODB_URI: testMongoUri(), MONGODB_DB: 'tribe_open_store_probe', DATA_DIR: '/nonexistent' }, silentLogger);
    try {
      expect(store.kind).toBe('mongodb');
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it('fails loudly when the MongoDB server cannot be reached', async () => {
    await expect(
      openStore({ MONGODB_URI: 'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=300', MONGODB_DB: 'tribe', DATA_DIR: '/nonexistent' }, silentLogger),
    ).rejects.toThrow();
  });
});
