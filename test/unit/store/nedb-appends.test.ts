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
});
