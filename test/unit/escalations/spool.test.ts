import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EscalationSpool, newConcernKey, raiseConcern } from '../../../services/escalations';
import { escalationHarness, openTestStore, storeKinds, type Harness } from '../../support/safeguarding';

const concern = (over: Partial<Parameters<typeof raiseConcern>[1]> = {}) => ({
  userKey: 'test:young-person-spool',
  conversationKey: 'test:conversation-spool',
  severity: 'high' as const,
  category: 'harm_from_others',
  messageText: 'fictional worry for tests',
  ...over,
});

describe.each(storeKinds)('idempotent raising and the local spool on the %s store', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let h: Harness;
  let dir: string;
  beforeEach(async () => {
    opened = await openTestStore(kind);
    h = escalationHarness(opened.store);
    dir = mkdtempSync(join(tmpdir(), 'tribe-spool-unit-'));
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a retried concern with the same key is raised once, whether it created or attached', async () => {
    const key = newConcernKey();
    const first = await raiseConcern(h.deps, concern({ idempotencyKey: key }));
    const again = await raiseConcern(h.deps, concern({ idempotencyKey: key }));
    expect(again).toMatchObject({ created: false, escalation: { _id: first.escalation._id, raiseCount: 1 } });

    // A second concern attaches; its retry does not count twice.
    const attachKey = newConcernKey();
    h.clock.advanceMinutes(1);
    await raiseConcern(h.deps, concern({ idempotencyKey: attachKey, severity: 'urgent' }));
    await raiseConcern(h.deps, concern({ idempotencyKey: attachKey, severity: 'urgent' }));
    const stored = await h.deps.escalations.get(first.escalation._id);
    expect(stored).toMatchObject({ raiseCount: 2, severity: 'urgent', raiseKeys: [key, attachKey] });
    expect(await h.deps.escalations.list({})).toHaveLength(1);
  });

  it('a torn line from a crash mid-append loses nothing else, and replay keeps the original time', async () => {
    const spool = new EscalationSpool(dir);
    const at = new Date(h.clock.now().getTime() - 5 * 60_000);
    spool.append({ key: newConcernKey(), at, ...concern({ conversationKey: 'test:a' }) });
    appendFileSync(spool.file, '{"v":1,"key":"torn'); // the process died here
    spool.append({ key: newConcernKey(), at, ...concern({ conversationKey: 'test:b', category: 'homelessness' }) });
    expect(spool.pending().map((entry) => entry.conversationKey)).toEqual(['test:a', 'test:b']);

    expect(await spool.replay(h.deps)).toEqual({ replayed: 2, pending: 0, storeDown: false });
    const raised = await h.deps.escalations.list({});
    expect(raised.map((doc) => doc.createdAt)).toEqual([at.toISOString(), at.toISOString()]);
    expect(spool.pending()).toEqual([]);
    expect(await spool.replay(h.deps)).toEqual({ replayed: 0, pending: 0, storeDown: false });
  });
});
