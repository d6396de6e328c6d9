import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../services/logging';
import { openEmbeddedStore } from '../../../services/store/embedded';
import { synchronousAppendsInUse } from '../../../services/store/nedb-appends';

describe('embedded store appends', () => {
  it('replaces nedb’s three-trip append with one synchronous append', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tribe-appends-'));
    const store = await openEmbeddedStore(dir, createLogger('silent'));
    try {
      expect(synchronousAppendsInUse()).toBe(true);
      await store.collection('notes').insertOne({ _id: 'n1', body: 'kept' });
      // Acknowledged means already in the file, not waiting in a thread pool.
      expect(readFileSync(join(dir, 'notes.db'), 'utf8')).toContain('"_id":"n1"');
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('appends to the new datafile after a compaction replaced it, and after the store is reopened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tribe-appends-'));
    try {
      let store = await openEmbeddedStore(dir, createLogger('silent'));
      const notes = store.collection('notes');
      // 1000 appended lines start a compaction, which renames a new datafile over the old one.
      for (let i = 0; i < 1100; i += 1) await notes.updateOne({ _id: 'counter' }, { $set: { n: i } }, { upsert: true });
      await notes.insertOne({ _id: 'after-compaction', body: 'kept' });
      expect(readFileSync(join(dir, 'notes.db'), 'utf8')).toContain('"_id":"after-compaction"');
      await store.close();

      store = await openEmbeddedStore(dir, createLogger('silent'));
      await store.collection('notes').insertOne({ _id: 'after-reopen', body: 'kept' });
      const text = readFileSync(join(dir, 'notes.db'), 'utf8');
      expect(text).toContain('"_id":"after-reopen"');
      expect(await store.collection('notes').findOne({ _id: 'counter' })).toMatchObject({ n: 1099 });
      expect(await store.collection('notes').countDocuments({})).toBe(3);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
