import Datastore from '@seald-io/nedb';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../services/logging';
import { openEmbeddedStore } from '../../../services/store/embedded';
import { nedbInternalsAvailable } from '../../../services/store/nedb-internals';

describe('embedded store fast paths', () => {
  it('finds the nedb internals they rely on (an nedb upgrade must keep them)', () => {
    expect(nedbInternalsAvailable(new Datastore({ inMemoryOnly: true }))).toBe(true);
  });

  it('hands out copies, appends every acknowledged update, and reloads what it acknowledged', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tribe-fast-'));
    try {
      let store = await openEmbeddedStore(dir, createLogger('silent'));
      let notes = store.collection<{ _id: string; n: number; tags?: string[] }>('notes');
      await notes.updateOne({ _id: 'a' }, { $set: { n: 1, tags: ['x'] } }, { upsert: true });
      await notes.updateOne({ _id: 'a' }, { $set: { n: 2 } });
      const read = await notes.findOne({ _id: 'a' });
      read!.tags!.push('mutated by a caller');
      const updated = await notes.findOneAndUpdate({ _id: 'a' }, { $inc: { n: 1 } });
      updated!.n = 99;
      const unchanged = await notes.findOneAndUpdate({ _id: 'a' }, { $set: { n: 3 } });
      unchanged!.tags!.push('mutated again');
      expect(await notes.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 3, tags: ['x'] });
      expect(await notes.findOne({ _id: 'a', n: { $gt: 5 } })).toBeNull();
      expect(await notes.findOne({ _id: 'missing' })).toBeNull();
      expect(readFileSync(join(dir, 'notes.db'), 'utf8')).toContain('"n":3');
      await store.close();

      store = await openEmbeddedStore(dir, createLogger('silent'));
      notes = store.collection('notes');
      expect(await notes.findOne({ _id: 'a' })).toEqual({ _id: 'a', n: 3, tags: ['x'] });
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps a unique index on an update by _id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tribe-fast-'));
    const store = await openEmbeddedStore(dir, createLogger('silent'));
    try {
      const users = store.collection<{ _id: string; email: string }>('users');
      await users.createIndex({ email: 1 }, { unique: true });
      await users.insertOne({ _id: 'u1', email: 'a' });
      await users.insertOne({ _id: 'u2', email: 'b' });
      await expect(users.updateOne({ _id: 'u2' }, { $set: { email: 'a' } })).rejects.toThrow();
      expect(await users.findOne({ _id: 'u2' })).toEqual({ _id: 'u2', email: 'b' });
      expect(await users.find({ email: 'a' })).toEqual([{ _id: 'u1', email: 'a' }]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
