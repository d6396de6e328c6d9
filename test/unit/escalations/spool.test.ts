import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { escalationDataHolder, EscalationSpool, LEGACY_SPOOL_FILE, newConcernKey, raiseConcern, spoolInstanceName } from '../../../services/escalations';
import { createLogger } from '../../../services/logging';
import { escalationHarness, openTestStore, reference, storeKinds, type Harness } from '../../support/safeguarding';

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

  it('a concern spooled before the person deleted their data comes back as deletion leaves it: no words, no link', async () => {
    const spool = new EscalationSpool(dir);
    const before = new Date(h.clock.now().getTime() - 60_000);
    spool.append({ key: newConcernKey(), at: before, ...concern({ conversationKey: 'test:before' }) });
    await escalationDataHolder(opened.store, h.clock).eraseFor('test:young-person-spool');
    // They come back and chat again: what they say after the deletion is theirs as usual.
    h.clock.advanceMinutes(1);
    spool.append({ key: newConcernKey(), at: h.clock.now(), ...concern({ conversationKey: 'test:after', category: 'homelessness' }) });

    expect(await spool.replay(h.deps)).toMatchObject({ replayed: 2, pending: 0 });
    const raised = await h.deps.escalations.list({});
    const erased = raised.find((doc) => doc.category === 'harm_from_others');
    expect(erased).toMatchObject({ excerpt: '', userKey: expect.stringMatching(/^erased:/), conversationKey: expect.stringMatching(/^erased:/), status: 'raised' });
    expect(JSON.stringify(erased)).not.toContain('young-person-spool');
    expect(raised.find((doc) => doc.category === 'homelessness')).toMatchObject({ userKey: 'test:young-person-spool', excerpt: 'fictional worry for tests' });
  });

  it('a torn line from a crash mid-append loses nothing else, and replay keeps the original time', async () => {
    const spool = new EscalationSpool(dir);
    const at = new Date(h.clock.now().getTime() - 5 * 60_000);
    spool.append({ key: newConcernKey(), at, ...concern({ conversationKey: 'test:a' }) });
    appendFileSync(spool.file, '{"v":1,"key":"torn'); // the process died here
    spool.append({ key: newConcernKey(), at, ...concern({ conversationKey: 'test:b', category: 'homelessness' }) });
    expect(spool.pending().map((entry) => entry.conversationKey)).toEqual(['test:a', 'test:b']);

    expect(await spool.replay(h.deps)).toEqual({ replayed: 2, pending: 0, storeDown: false, rejected: 0 });
    const raised = await h.deps.escalations.list({});
    expect(raised.map((doc) => doc.createdAt)).toEqual([at.toISOString(), at.toISOString()]);
    expect(spool.pending()).toEqual([]);
    expect(await spool.replay(h.deps)).toEqual({ replayed: 0, pending: 0, storeDown: false, rejected: 0 });
  });

  it('a retried forced re-alert whose first attempt attached but failed before notifying is sent, once', async () => {
    h.owners.set('test:young-person-spool', 'pa-alex');
    await h.references.register('pa-alex', '29:pa-alex', reference('a:pa-alex'));
    const first = await raiseConcern(h.deps, concern({ idempotencyKey: newConcernKey(), severity: 'urgent', category: 'suicide_self_harm' }));
    h.clock.advanceMinutes(2);

    // "I'm not safe": the attach lands, then the audit write fails, so the attempt throws before
    // its notice is enqueued.
    const key = newConcernKey();
    const forced = concern({ idempotencyKey: key, severity: 'urgent', category: 'suicide_self_harm', forceNotice: true });
    const record = jest.spyOn(h.deps.audit, 'record').mockRejectedValueOnce(new Error('store blip'));
    await expect(raiseConcern(h.deps, forced)).rejects.toThrow('store blip');
    record.mockRestore();
    const repeats = async () => (await h.outbox.list({ subjectId: first.escalation._id })).filter((row) => row._id.includes(':repeat-')).map((row) => row._id);
    expect(await repeats()).toEqual([]);
    expect(await h.deps.escalations.get(first.escalation._id)).toMatchObject({ raiseKeys: expect.arrayContaining([key]) });

    // The retry (or a spool replay) finds the key recorded, and still sends the re-alert.
    await raiseConcern(h.deps, forced);
    expect(await repeats()).toEqual([`esc:${first.escalation._id}:repeat-${key}:pa-alex`]);
    // Any further retry changes nothing: the outbox key is the same.
    await raiseConcern(h.deps, forced);
    expect(await repeats()).toHaveLength(1);
    expect(await h.deps.escalations.get(first.escalation._id)).toMatchObject({ raiseCount: 2 });

    // A forced concern that went through at once, then retried after a lost answer: one notice.
    h.clock.advanceMinutes(1);
    const second = concern({ idempotencyKey: newConcernKey(), severity: 'urgent', category: 'suicide_self_harm', forceNotice: true });
    await raiseConcern(h.deps, second);
    await raiseConcern(h.deps, second);
    expect(await repeats()).toHaveLength(2);
  });

  it('a replayed older concern never moves lastRaisedAt backwards', async () => {
    const created = await raiseConcern(h.deps, concern({ idempotencyKey: newConcernKey() }));
    const firstRaisedAt = created.escalation.lastRaisedAt;
    h.clock.advanceMinutes(10);
    const latest = await raiseConcern(h.deps, concern({ idempotencyKey: newConcernKey() }));
    expect(latest.escalation.lastRaisedAt).toBe(h.clock.now().toISOString());
    const newest = h.clock.now().toISOString();

    // A concern spooled 5 minutes ago (between the two) is replayed now: it attaches, and the
    // latest raise time stays the latest; the record's updatedAt is when it was written.
    h.clock.advanceMinutes(1);
    const olderAt = new Date(h.clock.now().getTime() - 6 * 60_000).toISOString();
    const replayed = await raiseConcern(h.deps, concern({ idempotencyKey: newConcernKey(), raisedAt: olderAt, source: 'spool' }));
    expect(replayed).toMatchObject({ created: false, escalation: { _id: created.escalation._id, raiseCount: 3, lastRaisedAt: newest } });
    expect(await h.deps.escalations.get(created.escalation._id)).toMatchObject({ lastRaisedAt: newest, updatedAt: h.clock.now().toISOString() });
    expect(firstRaisedAt < newest).toBe(true);

    // An older replay that raises the severity does not move it back either.
    const risingAt = new Date(h.clock.now().getTime() - 3 * 60_000).toISOString();
    await raiseConcern(h.deps, concern({ idempotencyKey: newConcernKey(), raisedAt: risingAt, severity: 'urgent', source: 'spool' }));
    expect(await h.deps.escalations.get(created.escalation._id)).toMatchObject({ severity: 'urgent', lastRaisedAt: newest });

    // A newer one moves it forward.
    h.clock.advanceMinutes(1);
    await raiseConcern(h.deps, concern({ idempotencyKey: newConcernKey(), severity: 'urgent' }));
    expect(await h.deps.escalations.get(created.escalation._id)).toMatchObject({ lastRaisedAt: h.clock.now().toISOString() });
  });
});

describe('the local spool shared by several instances, and entries that cannot be raised', () => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let h: Harness;
  let dir: string;
  beforeEach(async () => {
    opened = await openTestStore('embedded');
    h = escalationHarness(opened.store);
    dir = mkdtempSync(join(tmpdir(), 'tribe-spool-shared-'));
  });
  afterEach(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const at = () => new Date(h.clock.now().getTime() - 60_000);
  const files = () => readdirSync(dir).sort();

  it('names the file per instance (the host name by default), so instances sharing DATA_DIR never rewrite each other', async () => {
    expect(new EscalationSpool(dir).file).toBe(join(dir, `escalation-spool-${spoolInstanceName(hostname())}.jsonl`));
    const a = new EscalationSpool(dir, undefined, { instance: 'pod-a' });
    const b = new EscalationSpool(dir, undefined, { instance: 'pod-b' });
    expect(a.file).not.toBe(b.file);
    a.append({ key: newConcernKey(), at: at(), ...concern({ conversationKey: 'test:a' }) });
    b.append({ key: newConcernKey(), at: at(), ...concern({ conversationKey: 'test:b' }) });

    // A compacts its own file: B's pending concern is untouched.
    expect(await a.replay(h.deps)).toMatchObject({ replayed: 1, pending: 0 });
    expect(b.pending().map((entry) => entry.conversationKey)).toEqual(['test:b']);
    expect(await b.replay(h.deps)).toMatchObject({ replayed: 1, pending: 0 });
    expect((await h.deps.escalations.list({})).map((doc) => doc.conversationKey).sort()).toEqual(['test:a', 'test:b']);
    // A restarted process on the same host (same instance name) finds what its predecessor left.
    a.append({ key: newConcernKey(), at: at(), ...concern({ conversationKey: 'test:a2' }) });
    expect(await new EscalationSpool(dir, undefined, { instance: 'pod-a' }).replay(h.deps)).toMatchObject({ replayed: 1 });
    expect(files().filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('adopts the spool of an earlier version and of a stopped instance, once, and leaves a live one alone', async () => {
    const legacyKey = newConcernKey();
    const legacyEntry = { v: 1, key: legacyKey, at: at().toISOString(), userKey: 'test:u', conversationKey: 'test:legacy', severity: 'high', category: 'homelessness', excerpt: 'fictional', forceNotice: false };
    writeFileSync(join(dir, LEGACY_SPOOL_FILE), `${JSON.stringify(legacyEntry)}\n`);
    const stopped = new EscalationSpool(dir, undefined, { instance: 'pod-gone' });
    stopped.append({ key: newConcernKey(), at: at(), ...concern({ conversationKey: 'test:gone' }) });

    // A live instance's file (recently touched) is not adopted.
    const fresh = new EscalationSpool(dir, undefined, { instance: 'pod-live', orphanAfterMs: 60 * 60_000, adoptGraceMs: 0 });
    expect(await fresh.replay(h.deps)).toMatchObject({ replayed: 1, pending: 0 });
    expect((await h.deps.escalations.list({})).map((doc) => doc.conversationKey)).toEqual(['test:legacy']);
    expect(files()).toContain('escalation-spool-pod-gone.jsonl');
    expect(files()).not.toContain(LEGACY_SPOOL_FILE);

    // Once it is stale, it is adopted by one instance, merged, replayed, and removed.
    const adopter = new EscalationSpool(dir, undefined, { instance: 'pod-live', orphanAfterMs: 0, adoptGraceMs: 0 });
    expect(adopter.hasAdoptable()).toBe(true);
    expect(await adopter.replay(h.deps)).toMatchObject({ replayed: 1, pending: 0 });
    expect((await h.deps.escalations.list({})).map((doc) => doc.conversationKey).sort()).toEqual(['test:gone', 'test:legacy']);
    expect(files().filter((name) => name.includes('pod-gone') || name.includes('.adopt-'))).toEqual([]);
    expect(adopter.hasAdoptable()).toBe(false);
    // Replayed twice by accident: still once.
    writeFileSync(join(dir, LEGACY_SPOOL_FILE), `${JSON.stringify(legacyEntry)}\n`);
    expect(await adopter.replay(h.deps)).toMatchObject({ replayed: 1 });
    expect(await h.deps.escalations.list({})).toHaveLength(2);
  });

  it('an append made while a replay waits on the store survives the compaction that follows', async () => {
    const spool = new EscalationSpool(dir, undefined, { instance: 'pod-a' });
    spool.append({ key: newConcernKey(), at: at(), ...concern({ conversationKey: 'test:first' }) });
    const find = h.deps.escalations.findByRaiseKey.bind(h.deps.escalations);
    let appended = false;
    jest.spyOn(h.deps.escalations, 'findByRaiseKey').mockImplementation(async (key) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!appended) {
        appended = true;
        spool.append({ key: newConcernKey(), at: at(), ...concern({ conversationKey: 'test:during' }) });
      }
      return find(key);
    });
    expect(await spool.replay(h.deps)).toMatchObject({ replayed: 1, pending: 1 });
    expect(spool.pending().map((entry) => entry.conversationKey)).toEqual(['test:during']);
    expect(await spool.replay(h.deps)).toMatchObject({ replayed: 1, pending: 0 });
  });

  it('an entry that can never be raised is set aside, and the concerns after it are still replayed', async () => {
    const lines: string[] = [];
    const logger = createLogger('trace', { write: (line: string) => void lines.push(line) } as never);
    const spool = new EscalationSpool(dir, logger, { instance: 'pod-a' });
    const poison = newConcernKey();
    spool.append({ key: newConcernKey(), at: at(), ...concern({ conversationKey: 'test:before' }) });
    spool.append({ key: poison, at: at(), ...concern({ conversationKey: 'test:poison', messageText: 'fictional poison words' }) });
    spool.append({ key: newConcernKey(), at: at(), ...concern({ conversationKey: 'test:after', category: 'homelessness' }) });
    appendFileSync(spool.file, '\n{"v":1,"key":"not a valid entry"}\n');
    const find = h.deps.escalations.findByRaiseKey.bind(h.deps.escalations);
    jest.spyOn(h.deps.escalations, 'findByRaiseKey').mockImplementation(async (key) => {
      if (key === poison) z.object({ v: z.literal(2) }).parse({ v: 1 }); // throws a ZodError
      return find(key);
    });

    expect(await spool.replay(h.deps)).toEqual({ replayed: 2, pending: 0, storeDown: false, rejected: 1 });
    expect((await h.deps.escalations.list({})).map((doc) => doc.conversationKey).sort()).toEqual(['test:after', 'test:before']);
    const rejected = readFileSync(spool.rejectedFile, 'utf8').split('\n').filter((line) => line.trim()).map((line) => JSON.parse(line));
    expect(rejected).toEqual([
      expect.objectContaining({ rejected: expect.objectContaining({ key: poison }), reason: 'ZodError' }),
      expect.objectContaining({ unreadable: '{"v":1,"key":"not a valid entry"}', reason: 'unreadable' }),
    ]);
    expect(spool.pending()).toEqual([]);
    expect(await spool.replay(h.deps)).toMatchObject({ replayed: 0, rejected: 0 });
    const logs = lines.join('\n');
    expect(logs).toContain(poison);
    expect(logs).not.toMatch(/poison words|test:poison/);
  });

  it('a store outage still stops the replay (nothing is set aside)', async () => {
    const spool = new EscalationSpool(dir, undefined, { instance: 'pod-a' });
    spool.append({ key: newConcernKey(), at: at(), ...concern() });
    jest.spyOn(h.deps.escalations, 'findByRaiseKey').mockRejectedValue(Object.assign(new Error('connection refused'), { name: 'MongoServerSelectionError' }));
    expect(await spool.replay(h.deps)).toMatchObject({ replayed: 0, pending: 1, storeDown: true, rejected: 0 });
    expect(spool.pending()).toHaveLength(1);
  });

  it('leaves an entry alone while its own first attempt may still land', async () => {
    const spool = new EscalationSpool(dir, undefined, { instance: 'pod-a' });
    let settle!: () => void;
    const inFlight = new Promise<void>((resolve) => (settle = resolve));
    spool.append({ key: newConcernKey(), at: at(), ...concern() }, { inFlight });
    expect(await spool.replay(h.deps)).toMatchObject({ replayed: 0, pending: 1, storeDown: false });
    settle();
    await inFlight;
    expect(await spool.replay(h.deps)).toMatchObject({ replayed: 1, pending: 0 });
  });
});
