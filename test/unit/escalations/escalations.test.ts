import { acknowledge, escalationDataHolder, escalationDeliveryHooks, listForAdviser, raiseConcern, resolve, runSlaSweep } from '../../../services/escalations';
import { drainOutbox } from '../../../services/outbox';
import { EXCERPT_MAX } from '../../../services/escalations/escalation';
import { escalationHarness, FakeMessenger, openTestStore, reference, storeKinds, type Harness } from '../../support/safeguarding';

const concern = (over: Partial<Parameters<typeof raiseConcern>[1]> = {}) => ({
  userKey: 'test:young-person-1',
  conversationKey: 'test:conversation-1',
  severity: 'urgent' as const,
  category: 'suicide_self_harm',
  messageText: 'fictional crisis message for tests',
  ...over,
});

describe.each(storeKinds)('escalations on the %s store', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let h: Harness;
  const pa = () => h.deps.advisers.get('pa-alex')!;
  const otherPa = () => h.deps.advisers.get('pa-bo')!;
  const duty = () => h.deps.advisers.get('duty-kim')!;

  beforeEach(async () => {
    opened = await openTestStore(kind);
    h = escalationHarness(opened.store);
  });
  afterEach(() => opened.close());

  const drain = (messenger: FakeMessenger) =>
    drainOutbox({ outbox: h.outbox, clock: h.clock }, { messenger, random: () => 0.5, hooks: escalationDeliveryHooks(h.deps) });

  it('raises an escalation owned by the linked PA and notifies them with a card', async () => {
    h.owners.set('test:young-person-1', 'pa-alex');
    await h.references.register('pa-alex', '29:pa-alex', reference('a:pa-alex'));
    const raised = await raiseConcern(h.deps, concern());

    expect(raised).toMatchObject({ created: true, owner: { kind: 'adviser', adviserId: 'pa-alex' } });
    const stored = await h.deps.escalations.get(raised.escalation._id);
    expect(stored).toMatchObject({ status: 'raised', severity: 'urgent', ownerAdviserId: 'pa-alex', dutyAccess: false });

    const messenger = new FakeMessenger();
    expect(await drain(messenger)).toMatchObject({ sent: 1 });
    const [notice] = messenger.sent;
    expect(notice!.recipient.conversation.id).toBe('a:pa-alex');
    // The text shows severity, category, time and id, never the excerpt.
    expect(notice!.message.text).toContain(raised.escalation._id);
    expect(notice!.message.text).toContain('urgent');
    expect(notice!.message.text).toContain('suicide_self_harm');
    expect(notice!.message.text).toContain("Mon, 23 Nov 2026, 10:00");
    expect(notice!.message.text).not.toContain('fictional crisis message');
    const card = notice!.message.card as { version: string; actions: Array<Record<string, unknown>>; body: unknown[] };
    expect(card.version).toBe('1.5');
    expect(JSON.stringify(card.body)).toContain('fictional crisis message');
    expect(card.actions).toEqual([
      expect.objectContaining({ type: 'Action.Submit', data: { action: 'escalation.acknowledge', id: raised.escalation._id } }),
      expect.objectContaining({ type: 'Action.OpenUrl', url: expect.stringMatching(/^http/) }),
    ]);
    expect(await h.deps.escalations.get(raised.escalation._id)).toMatchObject({ status: 'notified' });
  });

  it('always lists an old open escalation, however many newer ones were resolved', async () => {
    const old = await raiseConcern(h.deps, concern({ conversationKey: 'test:old-open' }));
    for (let n = 0; n < 505; n += 1) {
      h.clock.advanceMinutes(1);
      const { escalation } = await raiseConcern(h.deps, concern({ conversationKey: `test:later-${n}` }));
      await h.deps.escalations.update(escalation._id, {}, { $set: { status: 'resolved' } });
    }
    const listed = await listForAdviser(h.deps, duty());
    expect(listed).toHaveLength(501);
    expect(listed.at(-1)?.id).toBe(old.escalation._id);
    expect((await listForAdviser(h.deps, duty(), { open: 'true' })).map((e) => e.id)).toEqual([old.escalation._id]);
    // about 1,000 audited writes: 50-60 s on FerretDB on a loaded 2-core machine
  }, 300_000);

  it('gives the duty team an escalation with no linked PA (never dropped)', async () => {
    await h.references.register('duty-kim', '29:duty-kim', reference('a:duty-kim'));
    const raised = await raiseConcern(h.deps, concern());
    expect(raised.owner).toEqual({ kind: 'duty' });
    expect((await listForAdviser(h.deps, duty())).map((e) => e.id)).toEqual([raised.escalation._id]);
    expect(await listForAdviser(h.deps, pa())).toEqual([]);
    const messenger = new FakeMessenger();
    await drain(messenger);
    expect(messenger.sent.map((s) => s.recipient.conversation.id)).toEqual(['a:duty-kim']);
  });

  it('falls back to the duty team when the owner resolver fails or names an unknown adviser', async () => {
    h.deps.resolveOwner = async () => {
      throw new Error('profiles unavailable');
    };
    expect((await raiseConcern(h.deps, concern())).owner).toEqual({ kind: 'duty' });
    h.deps.resolveOwner = async () => 'nobody-we-know';
    expect((await raiseConcern(h.deps, concern({ conversationKey: 'test:conversation-2' }))).owner).toEqual({ kind: 'duty' });
  });

  it('notifies the duty team when the PA has no registered conversation, and lets them act', async () => {
    h.owners.set('test:young-person-1', 'pa-alex');
    await h.references.register('duty-kim', '29:duty-kim', reference('a:duty-kim'));
    const raised = await raiseConcern(h.deps, concern());
    const messenger = new FakeMessenger();
    await drain(messenger);
    expect(messenger.sent.map((s) => s.recipient.conversation.id)).toEqual(['a:duty-kim']);
    expect(await acknowledge(h.deps, duty(), raised.escalation._id)).toMatchObject({ ok: true });
  });

  it('stores only a trimmed excerpt', async () => {
    const long = `  line one\n\n${'word '.repeat(200)}`;
    const raised = await raiseConcern(h.deps, concern({ messageText: long }));
    const stored = await h.deps.escalations.get(raised.escalation._id);
    expect(Array.from(stored!.excerpt).length).toBeLessThanOrEqual(EXCERPT_MAX);
    expect(stored!.excerpt.startsWith('line one word')).toBe(true);
    expect(Object.keys(stored!).sort()).toEqual(
      [
        '_id', 'ackDueAt', 'acknowledgedAt', 'acknowledgedBy', 'category', 'conversationKey', 'createdAt', 'dutyAccess', 'excerpt',
        'history', 'lastRaisedAt', 'noticeEnqueuedAt', 'notifiedAt', 'ownerAdviserId', 'ownerKind', 'raiseCount', 'resolutionNote',
        'resolvedAt', 'resolvedBy', 'severity', 'severityRaisedAt', 'slaRepeats', 'status', 'updatedAt', 'userKey',
      ].sort(),
    );
  });

  it('attaches repeats in the window; severity rises but never falls', async () => {
    h.owners.set('test:young-person-1', 'pa-alex');
    await h.references.register('pa-alex', '29:pa-alex', reference('a:pa-alex'));
    const first = await raiseConcern(h.deps, concern({ severity: 'medium', category: 'mental_health' }));
    h.clock.advanceMinutes(10);
    const rise = await raiseConcern(h.deps, concern({ severity: 'high', category: 'harm_from_others', messageText: 'second fictional' }));
    expect(rise).toMatchObject({ created: false, severityRaised: true });
    expect(rise.escalation._id).toBe(first.escalation._id);
    h.clock.advanceMinutes(10);
    const lower = await raiseConcern(h.deps, concern({ severity: 'medium', category: 'mental_health', messageText: 'third fictional' }));
    expect(lower).toMatchObject({ created: false, severityRaised: false });
    expect(await h.deps.escalations.get(first.escalation._id)).toMatchObject({
      severity: 'high',
      category: 'harm_from_others',
      excerpt: 'second fictional',
      raiseCount: 3,
    });
    // Medium sends no card; the rise to high does.
    const messenger = new FakeMessenger();
    await drain(messenger);
    expect(messenger.sent).toHaveLength(1);

    // Past the window (measured from the last repeat) a new escalation starts.
    h.clock.advanceMinutes(61);
    const later = await raiseConcern(h.deps, concern({ severity: 'medium', category: 'mental_health' }));
    expect(later.created).toBe(true);
    expect(later.escalation._id).not.toBe(first.escalation._id);
  });

  it('gives a different worry of the same severity its own escalation and notice', async () => {
    h.owners.set('test:young-person-1', 'pa-alex');
    await h.references.register('pa-alex', '29:pa-alex', reference('a:pa-alex'));
    const housing = await raiseConcern(h.deps, concern({ severity: 'high', category: 'homelessness', messageText: 'fictional housing worry' }));
    h.clock.advanceMinutes(5);
    const harm = await raiseConcern(h.deps, concern({ severity: 'high', category: 'harm_from_others', messageText: 'fictional harm worry' }));
    expect(harm.created).toBe(true);
    expect(harm.escalation._id).not.toBe(housing.escalation._id);
    h.clock.advanceMinutes(5);
    const again = await raiseConcern(h.deps, concern({ severity: 'high', category: 'harm_from_others', messageText: 'fictional repeat' }));
    expect(again).toMatchObject({ created: false });
    expect(again.escalation._id).toBe(harm.escalation._id);
    const messenger = new FakeMessenger();
    await drain(messenger);
    expect(messenger.sent).toHaveLength(2);
  });

  it('acknowledge and resolve go through the lifecycle, with an audit trail and no text in it', async () => {
    h.owners.set('test:young-person-1', 'pa-alex');
    const { escalation } = await raiseConcern(h.deps, concern());
    expect(await acknowledge(h.deps, otherPa(), escalation._id)).toEqual({ ok: false, reason: 'not-found' });
    expect(await resolve(h.deps, otherPa(), escalation._id, 'a note')).toEqual({ ok: false, reason: 'not-found' });
    const acked = await acknowledge(h.deps, pa(), escalation._id);
    expect(acked).toMatchObject({ ok: true, escalation: { status: 'acknowledged', acknowledgedBy: 'pa-alex' } });
    expect(await acknowledge(h.deps, pa(), escalation._id)).toMatchObject({ ok: true }); // idempotent
    const resolved = await resolve(h.deps, pa(), escalation._id, '  Spoke to them; safety plan agreed (fictional).  ');
    expect(resolved).toMatchObject({ ok: true, escalation: { status: 'resolved', resolutionNote: 'Spoke to them; safety plan agreed (fictional).' } });
    expect(await resolve(h.deps, pa(), escalation._id, 'again')).toEqual({ ok: false, reason: 'already-resolved' });
    expect(await acknowledge(h.deps, pa(), escalation._id)).toEqual({ ok: false, reason: 'already-resolved' });
    await listForAdviser(h.deps, pa());

    const trail = await h.deps.audit.forEscalation(escalation._id);
    expect(trail.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(['raised', 'notice-enqueued', 'access-refused', 'acknowledged', 'resolved', 'listed']),
    );
    expect(trail.find((e) => e.action === 'access-refused')).toMatchObject({ actor: { kind: 'adviser', id: 'pa-bo' } });
    const dump = JSON.stringify(await h.deps.audit.all());
    expect(dump).not.toContain('fictional');
    expect(dump).not.toContain('safety plan');
  });

  it('SLA sweep: unacknowledged urgent is sent again to the owner and the duty team, bounded', async () => {
    h.owners.set('test:young-person-1', 'pa-alex');
    await h.references.register('pa-alex', '29:pa-alex', reference('a:pa-alex'));
    await h.references.register('duty-kim', '29:duty-kim', reference('a:duty-kim'));
    const { escalation } = await raiseConcern(h.deps, concern());
    const messenger = new FakeMessenger();
    await drain(messenger);
    expect(messenger.sent).toHaveLength(1);

    h.clock.advanceMinutes(14);
    expect(await runSlaSweep(h.deps)).toMatchObject({ reminded: 0 });
    h.clock.advanceMinutes(1);
    expect(await runSlaSweep(h.deps)).toMatchObject({ reminded: 1 });
    expect(await runSlaSweep(h.deps)).toMatchObject({ reminded: 0 }); // same slot: nothing twice
    await drain(messenger);
    expect(messenger.sent.slice(1).map((s) => s.recipient.conversation.id).sort()).toEqual(['a:duty-kim', 'a:pa-alex']);
    expect(messenger.sent[1]!.message.text).toMatch(/^Reminder/);
    // The duty team may now see and acknowledge it.
    expect((await listForAdviser(h.deps, duty())).map((e) => e.id)).toContain(escalation._id);

    for (let i = 0; i < 5; i += 1) {
      h.clock.advanceMinutes(15);
      await runSlaSweep(h.deps);
      await drain(messenger);
    }
    expect(messenger.sent).toHaveLength(1 + 2 * h.deps.settings.maxSlaRepeats);
    expect(await h.deps.escalations.get(escalation._id)).toMatchObject({ slaRepeats: h.deps.settings.maxSlaRepeats });
  });

  it('SLA sweep: acknowledged in time means no reminder; high waits its own SLA', async () => {
    h.owners.set('test:young-person-1', 'pa-alex');
    await h.references.register('pa-alex', '29:pa-alex', reference('a:pa-alex'));
    const urgent = await raiseConcern(h.deps, concern());
    const high = await raiseConcern(h.deps, concern({ conversationKey: 'test:conversation-2', severity: 'high', category: 'homelessness' }));
    await acknowledge(h.deps, pa(), urgent.escalation._id);
    h.clock.advanceMinutes(60);
    expect(await runSlaSweep(h.deps)).toMatchObject({ reminded: 0 });
    h.clock.advanceMinutes(180);
    expect(await runSlaSweep(h.deps)).toMatchObject({ reminded: 1 });
    expect(await h.deps.escalations.get(high.escalation._id)).toMatchObject({ slaRepeats: 1 });
  });

  it('a dead adviser reference is forgotten and the notice goes to the duty team', async () => {
    h.owners.set('test:young-person-1', 'pa-alex');
    await h.references.register('pa-alex', '29:pa-alex', reference('a:pa-alex'));
    await h.references.register('duty-kim', '29:duty-kim', reference('a:duty-kim'));
    const { escalation } = await raiseConcern(h.deps, concern());
    const messenger = new FakeMessenger().deadNext();
    await drain(messenger);
    await drain(messenger);
    expect(await h.references.referenceFor('pa-alex')).toBeNull();
    expect(messenger.sent.map((s) => s.recipient.conversation.id)).toEqual(['a:duty-kim']);
    expect(await h.deps.escalations.get(escalation._id)).toMatchObject({ dutyAccess: true, status: 'notified' });
  });

  it('a notice that could not be enqueued is enqueued by the next sweep', async () => {
    h.owners.set('test:young-person-1', 'pa-alex');
    await h.references.register('pa-alex', '29:pa-alex', reference('a:pa-alex'));
    const insert = h.outbox.insert.bind(h.outbox);
    h.outbox.insert = async () => {
      throw new Error('store hiccup');
    };
    const { escalation } = await raiseConcern(h.deps, concern());
    expect(await h.deps.escalations.get(escalation._id)).toMatchObject({ noticeEnqueuedAt: null });
    h.outbox.insert = insert;
    h.clock.advanceMinutes(1);
    expect(await runSlaSweep(h.deps)).toMatchObject({ renoticed: 1 });
    const messenger = new FakeMessenger();
    await drain(messenger);
    expect(messenger.sent).toHaveLength(1);
  });
});

describe.each(storeKinds)('concerns in a data export and deletion (%s store)', (kind) => {
  let opened: Awaited<ReturnType<typeof openTestStore>>;
  let h: Harness;
  beforeEach(async () => {
    opened = await openTestStore(kind);
    h = escalationHarness(opened.store);
  });
  afterEach(() => opened.close());

  it('exports what was kept; erasing deletes resolved ones and unlinks open ones without dropping them', async () => {
    const holder = escalationDataHolder(opened.store, h.clock);
    const done = await raiseConcern(h.deps, concern({ conversationKey: 'test:c-old', severity: 'high', category: 'homelessness' }));
    await resolve(h.deps, h.deps.advisers.get('duty-kim')!, done.escalation._id, 'Housed (fictional).');
    const open = await raiseConcern(h.deps, concern());

    const exported = (await holder.exportFor('test:young-person-1')) as Array<Record<string, unknown>>;
    expect(exported).toHaveLength(2);
    expect(exported[1]).toMatchObject({ severity: 'urgent', whatYouWrote: 'fictional crisis message for tests' });
    expect(JSON.stringify(exported)).not.toContain('Housed');

    expect(await holder.eraseFor('test:young-person-1')).toBeGreaterThanOrEqual(2);
    expect(await holder.exportFor('test:young-person-1')).toEqual([]);
    expect(await h.deps.escalations.get(done.escalation._id)).toBeNull();
    const kept = await h.deps.escalations.get(open.escalation._id);
    expect(kept).toMatchObject({ severity: 'urgent', status: 'raised', excerpt: '', userKey: expect.stringMatching(/^erased:/) });
    expect(JSON.stringify(await h.deps.audit.all())).not.toContain('young-person-1');
    expect((await listForAdviser(h.deps, h.deps.advisers.get('duty-kim')!)).map((e) => e.id)).toContain(open.escalation._id);
  });
});
