import { dueReminders, buildChecklist, progressOf, type Status } from '../../services/entitlements/tracker';
import { queueEntitlementReminders } from '../../services/entitlements/reminders';
import { OutboxRepository } from '../../services/outbox/outbox-repository';
import type { Profile } from '../../services/profiles/profile';
import { userKeyOf } from '../../services/profiles/profile';
import type { Activity, Middleware } from 'botbuilder';
import { readableDate } from '../../dialogs/dates';
import { ChecklistCards, CHECKLIST_CARDS_COLLECTION } from '../../services/entitlements/checklist-cards';
import { adapters } from '../support/stores-under-test';
import { fakeSafetyGate, type JourneyHarness, harnessForEachTest } from './support/harness';
import { onboard, play, renderer } from './support/transcript';

type CardNode = Record<string, unknown> & { type?: string; id?: string; isVisible?: boolean; items?: CardNode[]; actions?: CardNode[] };

/** The entitlement ids of a checklist card's items, in order, in the part of the card given. */
function itemIds(nodes: readonly CardNode[]): string[] {
  return nodes.flatMap((node) => [...JSON.stringify(node).matchAll(/"ent:(entitlement\.[a-z0-9.-]+)"/g)].map((match) => match[1]!));
}

/** Every button anywhere under a card element, in order. */
function actionsIn(node: unknown): CardNode[] {
  if (Array.isArray(node)) return node.flatMap(actionsIn);
  if (!node || typeof node !== 'object') return [];
  const element = node as CardNode;
  const own = typeof element.type === 'string' && element.type.startsWith('Action.') ? [element] : [];
  return [...own, ...['items', 'actions', 'columns', 'card', 'body'].flatMap((key) => actionsIn(element[key]))];
}

/** The safety gate, plus a record of every card update the bot asks the channel for (and, if told, the channel refusing). */
function recordingUpdates(harness: JourneyHarness, updates: Array<Partial<Activity>>, refuse = false): Middleware {
  const gate = fakeSafetyGate(harness.catalog);
  return {
    async onTurn(context, next) {
      context.onUpdateActivity(async (_context, activity, nextUpdate) => {
        updates.push(activity);
        if (refuse) throw new Error('403 MessageWritesBlocked');
        return nextUpdate();
      });
      return gate.onTurn(context, next);
    },
  };
}

/** The number of a line in a numbered list the bot sent. */
function numberOf(words: string, line: string): string {
  const match = new RegExp(`(\\d+)\\. ${line.replace(/[()]/g, '\\$&')}`).exec(words);
  if (!match) throw new Error(`no line "${line}" in:\n${words}`);
  return match[1]!;
}

/** The entitlements tracker: personalised checklist (rules are data), statuses, progress, reminders. */
describe('entitlements tracker', () => {
  const harness = harnessForEachTest();
  const t = renderer(() => harness);

  const entitlements = () => harness.catalog.list('entitlement');
  const profile = (fields: Partial<Profile>): Profile => ({
    _id: 'webchat:someone',
    consent: { version: 'v', givenAt: '2026-11-23T12:00:00.000Z' },
    remindersPaused: false,
    createdAt: '2026-11-23T12:00:00.000Z',
    updatedAt: '2026-11-23T12:00:00.000Z',
    ...fields,
  });
  const age = (years: number) => ({ kind: 'age' as const, age: years, on: '2026-11-23' });

  describe('personalised from the catalogue by age, situation and home', () => {
    // [who, profile, on the list as "yes", on the list as "maybe", left off]
    it.each([
      [
        '19, with foster carers, at college',
        { birth: age(19), home: 'foster-carers', situations: ['education'] },
        ['entitlement.staying-put', 'entitlement.personal-adviser', 'entitlement.pathway-plan'],
        ['entitlement.higher-education-bursary'],
        ['entitlement.bursary-16-19', 'entitlement.priority-need-housing', 'entitlement.council-tax-exemption', 'entitlement.staying-close'],
      ],
      [
        '17, at college, supported lodgings',
        { birth: age(17), home: 'supported-lodgings', situations: ['education'] },
        ['entitlement.bursary-16-19', 'entitlement.pa-contact'],
        [],
        ['entitlement.staying-put', 'entitlement.council-tax-exemption', 'entitlement.higher-education-bursary'],
      ],
      [
        '22, own flat, working',
        { birth: age(22), home: 'own-tenancy', situations: ['work'] },
        ['entitlement.council-tax-exemption', 'entitlement.setting-up-home-allowance'],
        ['entitlement.shared-accommodation-rate'],
        ['entitlement.staying-put', 'entitlement.bursary-16-19', 'entitlement.priority-need-housing'],
      ],
      [
        '20, sofa-surfing, on an apprenticeship',
        { birth: age(20), home: 'sofa-surfing', situations: ['apprenticeship'] },
        ['entitlement.apprenticeship-bursary'],
        ['entitlement.priority-need-housing'],
        ['entitlement.council-tax-exemption', 'entitlement.staying-put'],
      ],
    ] as const)('%s', (_who, fields, yes, maybe, off) => {
      const items = buildChecklist({ entitlements: entitlements(), profile: profile(fields as unknown as Partial<Profile>), statuses: new Map(), goalPlans: [], today: '2026-11-23' });
      const fit = new Map(items.map((item) => [item.entitlement.id, item.fit]));
      for (const id of yes) expect([id, fit.get(id)]).toEqual([id, 'yes']);
      for (const id of maybe) expect([id, fit.get(id)]).toEqual([id, 'maybe']);
      for (const id of off) expect([id, fit.has(id)]).toEqual([id, false]);
      // Sure ones come first.
      const firstMaybe = items.findIndex((item) => item.fit === 'maybe');
      expect(items.slice(firstMaybe).every((item) => item.fit === 'maybe')).toBe(true);
    });

    it('without consent shows the general list of what is in force', () => {
      const items = buildChecklist({ entitlements: entitlements(), profile: null, statuses: new Map(), goalPlans: [], today: '2026-11-23' });
      expect(items.length).toBeGreaterThan(5);
      expect(items.every((item) => item.fit === 'maybe' && item.status === 'not-started')).toBe(true);
      expect(items.map((item) => item.entitlement.id)).not.toContain('entitlement.staying-close');
    });

    it('a goal changes what applies (university → the higher education bursary is for them)', () => {
      const items = buildChecklist({ entitlements: entitlements(), profile: profile({ birth: age(19) }), statuses: new Map(), goalPlans: ['university'], today: '2026-11-23' });
      expect(items.find((item) => item.entitlement.id === 'entitlement.higher-education-bursary')?.fit).toBe('maybe'); // former relevant child is for the PA to confirm
    });
  });

  it('summarises progress, leaving out what is not for them', () => {
    const statuses = new Map<string, Status>([
      ['entitlement.personal-adviser', 'getting-it'],
      ['entitlement.pathway-plan', 'applied'],
      ['entitlement.care-leaver-covenant', 'not-for-me'],
      ['entitlement.local-offer', 'asked'],
    ]);
    const items = buildChecklist({ entitlements: entitlements(), profile: profile({ birth: age(19) }), statuses, goalPlans: [], today: '2026-11-23' });
    const progress = progressOf(items);
    expect(progress.counts).toMatchObject({ 'getting-it': 1, applied: 1, asked: 1, 'not-for-me': 1 });
    expect(progress.total).toBe(items.length - 1);
  });

  it('reminds three months before an age limit, with a date of birth only', () => {
    const dob = profile({ birth: { kind: 'dob', dateOfBirth: '2006-01-10' }, home: 'foster-carers' });
    const items = buildChecklist({ entitlements: entitlements(), profile: dob, statuses: new Map(), goalPlans: [], today: '2026-11-23' });
    const stayingPut = items.find((item) => item.entitlement.id === 'entitlement.staying-put')!;
    expect(stayingPut).toMatchObject({ endsOn: '2027-01-10', remindOn: '2026-10-10' });
    expect(dueReminders(items, '2026-11-23').map((item) => item.entitlement.id)).toEqual(['entitlement.staying-put']);
    expect(dueReminders(items, '2027-01-10')).toEqual([]);
    const byAge = buildChecklist({ entitlements: entitlements(), profile: profile({ birth: age(20), home: 'foster-carers' }), statuses: new Map(), goalPlans: [], today: '2026-11-23' });
    expect(byAge.find((item) => item.entitlement.id === 'entitlement.staying-put')?.endsOn).toBeUndefined();
  });

  describe('in the chat', () => {
    it('changes a status in three taps on Web Chat: My entitlements → Update → Applied', async () => {
      const client = harness.client('webchat', { from: 'tapper' });
      await onboard(client, t, { age: '19', home: 'foster-carers', picks: 'education' });
      let taps = 0;
      const [checklist] = await client.say(t('journeys.menu.entitlements'));
      taps += 1; // the menu button
      const card = checklist!.attachments![0]!.content as { body: CardNode[] };
      const item = card.body.find((element) => element.type === 'Container' && JSON.stringify(element).includes('"ent:entitlement.staying-put"'))!;
      const update = actionsIn(item).find((action) => action.title === t('journeys.entitlements.label.update'))!;
      // "Update" opens the statuses in the card (no message sent), under the question, in this item.
      expect(update.type).toBe('Action.ToggleVisibility');
      const choices = item.items!.find((element) => element.id === (update.targetElements as string[])[0])!;
      expect(choices.isVisible).toBe(false);
      taps += 1;
      expect(choices.items![0]).toMatchObject({ type: 'TextBlock', text: t('journeys.entitlements.set-status') });
      const applied = actionsIn(choices.items).find((action) => action.title === t('journeys.entitlements.status.applied')) as unknown as {
        data: { tribeAction: string };
      };
      const words = await client.press(applied.data.tribeAction);
      taps += 1; // the status
      expect(words).toContain(t('journeys.entitlements.status-saved', { title: 'Staying Put with your foster carer', status: t('journeys.entitlements.status.applied') }));
      // Applied and getting it both count as progress, out of everything on their checklist.
      const total = itemIds(card.body as CardNode[]).length;
      expect(words).toContain(t('journeys.entitlements.progress', { started: 1, total }));
      expect(taps).toBeLessThanOrEqual(3);
      process.stdout.write(`measured: taps to change an entitlement status on Web Chat: ${taps}\n`);
      const statuses = await harness.services.tracker.checklist(userKeyOf('webchat', 'tapper'), await harness.services.profiles.get(userKeyOf('webchat', 'tapper')));
      expect(statuses.find((entry) => entry.entitlement.id === 'entitlement.staying-put')?.status).toBe('applied');
    });

    it('the card is short on a phone: counts, what is to do first, what is settled folded behind "Show"', async () => {
      const client = harness.client('webchat', { from: 'folder' });
      await onboard(client, t, { age: '19', home: 'foster-carers', picks: 'education' });
      const key = userKeyOf('webchat', 'folder');
      await harness.services.tracker.setStatus(key, 'entitlement.personal-adviser', 'getting-it');
      await harness.services.tracker.setStatus(key, 'entitlement.care-leaver-covenant', 'not-for-me');
      await harness.services.tracker.setStatus(key, 'entitlement.pathway-plan', 'applied');
      const items = await harness.services.tracker.checklist(key, await harness.services.profiles.get(key));
      const [reply] = await client.say(t('journeys.menu.entitlements'));
      const card = reply!.attachments![0]!.content as { body: CardNode[]; fallbackText: string };
      const body = card.body;

      // [element id, visible at first, what it holds]
      const settled = body.find((node) => node.id === 'tribe-settled')!;
      const show = body.find((node) => node.id === 'tribe-show-settled')!;
      const hide = body.find((node) => node.id === 'tribe-hide-settled')!;
      expect([settled.isVisible, show.isVisible, hide.isVisible]).toEqual([false, undefined, false]);
      expect(itemIds(settled.items!).sort()).toEqual(['entitlement.care-leaver-covenant', 'entitlement.personal-adviser']);
      for (const toggle of [show, hide]) {
        expect(toggle.actions).toEqual([expect.objectContaining({ type: 'Action.ToggleVisibility', targetElements: ['tribe-settled', 'tribe-show-settled', 'tribe-hide-settled'] })]);
      }
      expect(show.actions![0]!.title).toBe(t('journeys.entitlements.label.show-done', { count: 2 }));
      expect(hide.actions![0]!.title).toBe(t('journeys.entitlements.label.hide-done'));

      // Everything to do is open, in checklist order, above the fold; nothing is left off.
      const open = itemIds(body.slice(0, body.indexOf(show)));
      expect(open).toContain('entitlement.pathway-plan');
      expect([...open, ...itemIds(settled.items!)].sort()).toEqual(items.map((item) => item.entitlement.id).sort());
      const words = JSON.stringify(body);
      const todo = items.filter((item) => item.status === 'not-started').length;
      expect(words).toContain(t('journeys.entitlements.summary', { todo, started: 1, done: 2 }));
      expect(words).toContain(t('journeys.entitlements.progress', { started: 2, total: items.length - 1 }));
      // The text fallback lists the same order: to do first.
      const fallback = card.fallbackText.split('\n').filter((line) => /^\d+\. /.test(line));
      expect(fallback.slice(-2).map((line) => line.replace(/^\d+\. /, '').split(':')[1]!.trim()).sort()).toEqual(
        [t('journeys.entitlements.status.getting-it'), t('journeys.entitlements.status.not-for-me')].sort(),
      );
      process.stdout.write(`measured: checklist card items shown before "Show": ${open.length} of ${items.length}\n`);
    });

    it('nothing is folded away when nothing is settled; a status tap that settles one folds it on the updated card', async () => {
      const updates: Array<Partial<Activity>> = [];
      const client = harness.client('webchat', { from: 'settler', gate: recordingUpdates(harness, updates) });
      await onboard(client, t, { age: '19', home: 'foster-carers' });
      const [reply] = await client.say(t('journeys.menu.entitlements'));
      const body = (reply!.attachments![0]!.content as { body: CardNode[] }).body;
      expect(body.some((node) => node.id === 'tribe-settled')).toBe(false);
      expect(JSON.stringify(body)).toContain(t('journeys.entitlements.summary', { todo: itemIds(body).length, started: 0, done: 0 }));
      const ref = /"tribeCard":"([0-9a-f]{12})"/.exec(JSON.stringify(body))![1]!;
      await client.say({ value: { tribeAction: 'status:entitlement.personal-adviser:getting-it', tribeCard: ref } });
      expect(updates.map((update) => update.id)).toEqual([reply!.id]);
      const updated = (updates[0]!.attachments![0]!.content as { body: CardNode[] }).body;
      expect(itemIds(updated.filter((node) => node.id === 'tribe-settled'))).toEqual(['entitlement.personal-adviser']);
      expect(itemIds(updated).sort()).toEqual(itemIds(body).sort());
    });

    it('a status tap updates the card in place after a restart (the card is remembered in the store), and falls back to a reply when the channel refuses', async () => {
      const updates: Array<Partial<Activity>> = [];
      let client = harness.client('webchat', { from: 'restart-card', gate: recordingUpdates(harness, updates) });
      await onboard(client, t, { age: '19', home: 'foster-carers' });
      const [reply] = await client.say(t('journeys.menu.entitlements'));
      const ref = /"tribeCard":"([0-9a-f]{12})"/.exec(JSON.stringify(reply!.attachments))![1]!;
      expect(await harness.store.collection(CHECKLIST_CARDS_COLLECTION).findOne({ _id: ref })).toMatchObject({
        activityId: reply!.id,
        userKey: userKeyOf('webchat', 'restart-card'),
      });

      await harness.restart();
      client = harness.client('webchat', { from: 'restart-card', gate: recordingUpdates(harness, updates) });
      // [what is tapped, words in the reply, card updates asked for so far]
      const rows: Array<[Record<string, string>, string, string[]]> = [
        [
          { tribeAction: 'status:entitlement.staying-put:applied', tribeCard: ref },
          t('journeys.entitlements.status-saved', { title: 'Staying Put with your foster carer', status: t('journeys.entitlements.status.applied') }),
          [reply!.id!],
        ],
        // A card reference this conversation never had: nothing to update, the reply says it.
        [
          { tribeAction: 'status:entitlement.staying-put:asked', tribeCard: '0123456789ab' },
          t('journeys.entitlements.status-saved', { title: 'Staying Put with your foster carer', status: t('journeys.entitlements.status.asked') }),
          [reply!.id!],
        ],
        // Not a reference at all: ignored.
        [
          { tribeAction: 'status:entitlement.staying-put:applied', tribeCard: 'nope' },
          t('journeys.entitlements.status.applied'),
          [reply!.id!],
        ],
      ];
      for (const [value, words, expected] of rows) {
        expect(await client.words({ value })).toContain(words);
        expect(updates.map((update) => update.id)).toEqual(expected);
      }

      // The channel refuses the update (Teams: too old, or blocked): the saved reply is enough.
      const refused: Array<Partial<Activity>> = [];
      const refusing = harness.client('webchat', { from: 'restart-card', gate: recordingUpdates(harness, refused, true) });
      await play(refusing, [
        [
          { value: { tribeAction: 'status:entitlement.staying-put:getting-it', tribeCard: ref } },
          t('journeys.entitlements.status-saved', { title: 'Staying Put with your foster carer', status: t('journeys.entitlements.status.getting-it') }),
        ],
      ]);
      expect(refused.map((update) => update.id)).toEqual([reply!.id]);

      // Delete my data takes the card records too.
      await play(refusing, [
        ['delete my data', t('journeys.privacy.delete-confirm')],
        ['yes', t('journeys.privacy.deleted').slice(0, 20)],
      ]);
      expect(await harness.store.collection(CHECKLIST_CARDS_COLLECTION).find({})).toEqual([]);
    });

    it('keeps a record of the last few checklist cards of a conversation only', async () => {
      const client = harness.client('webchat', { from: 'many' });
      await onboard(client, t, { age: '19' });
      for (let i = 0; i < 7; i += 1) await client.say(t('journeys.menu.entitlements'));
      expect(await harness.store.collection(CHECKLIST_CARDS_COLLECTION).countDocuments({})).toBe(5);
    });

    it('on a text-only channel the numbered list puts what is to do first, too', async () => {
      const client = harness.client('sms', { from: 'text-folder' });
      await onboard(client, t, { age: '19', home: 'foster-carers' });
      await harness.services.tracker.setStatus(userKeyOf('sms', 'text-folder'), 'entitlement.personal-adviser', 'not-for-me');
      const list = await client.words(t('journeys.menu.entitlements'));
      const lines = list.split('\n').filter((line) => /^\d+\. /.test(line));
      expect(lines.at(-1)).toMatch(new RegExp(`^${lines.length}\\. A personal adviser \\(PA\\): ${t('journeys.entitlements.status.not-for-me')}$`));
      await play(client, [[String(lines.length), 'A personal adviser (PA)', t('journeys.entitlements.set-status')]]);
    });

    it('changes a status in three answers on a text-only channel, with unhappy paths', async () => {
      const client = harness.client('sms', { from: 'texter' });
      await onboard(client, t, { age: '19', home: 'foster-carers', picks: 'education' });
      const start = client.turns;
      const list = await client.words(t('journeys.menu.entitlements'));
      expect(list).toContain(t('journeys.entitlements.ask-pick'));
      const n = numberOf(list, 'Staying Put with your foster carer: Not started');
      await play(client, [
        ['99', t('journeys.entitlements.pick-retry')],
        [n, 'Until you turn 21', 'How to get it:', t('journeys.entitlements.set-status')],
        ['maybe later', t('journeys.onboarding.choice-retry')],
        ['4', t('journeys.entitlements.status-saved', { title: 'Staying Put with your foster carer', status: t('journeys.entitlements.status.getting-it') })],
      ]);
      const answers = client.turns - start - 2; // two wrong answers on the way
      expect(answers).toBe(3);
      process.stdout.write(`measured: taps (answers) to change a status on a text channel: ${answers}\n`);
    });

    it('cancel midway, and resume after a restart', async () => {
      const client = harness.client('sms', { from: 'restarter' });
      await onboard(client, t, { age: '19', home: 'foster-carers' });
      await play(client, [
        [t('journeys.menu.entitlements'), t('journeys.entitlements.ask-pick')],
        ['cancel', t('journeys.global.cancelled')],
      ]);
      const n = numberOf(await client.words(t('journeys.menu.entitlements')), 'A personal adviser (PA): Not started');
      await play(client, [[n, t('journeys.entitlements.set-status')]]);
      await harness.restart();
      const after = harness.client('sms', { from: 'restarter' });
      await play(after, [['asked about it', t('journeys.entitlements.status-saved', { title: 'A personal adviser (PA)', status: t('journeys.entitlements.status.asked') })]]);
      await harness.restart();
      await play(harness.client('sms', { from: 'restarter' }), [[t('journeys.menu.entitlements'), 'A personal adviser (PA): Asked about it']]);
    });

    it('a status button pressed later, in the middle of another journey, is saved and the journey carries on', async () => {
      const client = harness.client('webchat', { from: 'later' });
      await onboard(client, t, { age: '19' });
      await play(client, [
        [t('journeys.menu.privacy'), t('journeys.privacy.options')],
        [{ value: { tribeAction: 'status:entitlement.personal-adviser:getting-it' } }, t('journeys.entitlements.status.getting-it'), t('journeys.privacy.options')],
        [{ value: { tribeAction: 'status:entitlement.not-real:applied' } }, t('journeys.privacy.options')],
      ]);
    });

    it('without consent shows the general list, with more about each, but no statuses', async () => {
      const client = harness.client('webchat', { from: 'anon' });
      await play(client, [
        ['hi', t('journeys.onboarding.consent')],
        ['not now', t('journeys.onboarding.declined').slice(0, 20)],
        [t('journeys.menu.entitlements'), t('journeys.entitlements.general-intro'), t('journeys.entitlements.label.more')],
        [{ value: { tribeAction: 'ent:entitlement.apprenticeship-bursary' } }, t('journeys.entitlements.amount.fixed', { amount: 3000 }), 'How to get it:'],
        [{ value: { tribeAction: 'status:entitlement.apprenticeship-bursary:applied' } }, t('journeys.global.needs-setup')],
      ]);
      expect(await harness.services.profiles.get(userKeyOf('webchat', 'anon'))).toBeNull();
    });
  });

  describe('reminders before an age limit', () => {
    async function onboardWithBirthday(user: string, dob: string) {
      const client = harness.client('webchat', { from: user });
      await onboard(client, t, { age: dob, home: 'foster-carers' });
      return client;
    }

    const deps = () => ({
      profiles: harness.services.profiles,
      tracker: harness.services.tracker,
      outbox: new OutboxRepository(harness.store),
      clock: harness.clock,
      render: (id: string, params: Readonly<Record<string, string | number>>) => harness.catalog.render(id, params),
      formatDate: readableDate,
    });

    it('queues one reminder in the outbox, once, and none when paused or after delete', async () => {
      await onboardWithBirthday('turning21', '10/01/2006');
      const first = await queueEntitlementReminders(deps());
      expect(first.queued).toBe(1);
      const rows = await new OutboxRepository(harness.store).list({ topic: 'entitlement-reminder' });
      expect(rows).toHaveLength(1);
      expect(rows[0]!.message!.text).toBe(t('journeys.entitlements.reminder', { title: 'Staying Put with your foster carer', date: '10 January 2027' }));
      expect(rows[0]!.recipient.conversation.id).toBeDefined();
      // Keys and ids name a pseudonym, never the user key (the reference is needed to deliver it).
      for (const id of [rows[0]!._id, rows[0]!.subjectId, rows[0]!.recipientKey]) expect(id).not.toContain('turning21');

      expect((await queueEntitlementReminders(deps())).queued).toBe(0); // same day, same reminder: nothing new
      harness.clock.advanceDays(1);
      const nextDay = await queueEntitlementReminders(deps());
      expect(nextDay.queued).toBe(0); // nothing else is due yet, and Staying Put is never sent twice

      const client = harness.client('webchat', { from: 'turning21' });
      await play(client, [['delete my data', t('journeys.privacy.delete-confirm')], ['yes', t('journeys.privacy.deleted').slice(0, 20)]]);
      expect(await new OutboxRepository(harness.store).list({ topic: 'entitlement-reminder' })).toHaveLength(0);
    });

    it('sends nothing to someone who said stop reminders', async () => {
      const client = await onboardWithBirthday('quiet', '10/01/2006');
      await play(client, [['stop reminders', t('journeys.global.reminders-stopped')]]);
      expect((await queueEntitlementReminders(deps())).queued).toBe(0);
    });
  });

  /** The card records, written once against the store port, on both adapters. */
  describe.each(adapters)('checklist card records on the %s store', (_kind, open) => {
    it('finds a card only in its own conversation, keeps the last few per conversation, and erases by young person', async () => {
      const opened = await open();
      try {
        const cards = new ChecklistCards(opened.store, harness.clock);
        const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 12, minute));
        for (let i = 0; i < 7; i += 1) {
          await cards.remember({ ref: `aaaaaaaaaa${String(i).padStart(2, '0')}`, userKey: 'webchat:a', conversation: 'webchat:c1', activityId: `act-${i}`, sentAt: at(i) });
        }
        await cards.remember({ ref: 'bbbbbbbbbbbb', userKey: 'webchat:b', conversation: 'webchat:c2', activityId: 'act-b', sentAt: at(1) });
        // [reference, conversation, activity id found (null: none)]
        const rows: Array<[string, string, string | null]> = [
          ['aaaaaaaaaa06', 'webchat:c1', 'act-6'],
          ['aaaaaaaaaa02', 'webchat:c1', 'act-2'],
          ['aaaaaaaaaa01', 'webchat:c1', null], // one of the oldest two: forgotten
          ['aaaaaaaaaa06', 'webchat:c2', null], // another conversation's card
          ['bbbbbbbbbbbb', 'webchat:c2', 'act-b'],
          ['not-a-ref', 'webchat:c2', null],
        ];
        for (const [ref, conversation, activityId] of rows) {
          expect([ref, conversation, (await cards.find(ref, conversation))?.activityId ?? null]).toEqual([ref, conversation, activityId]);
        }
        expect((await cards.find('aaaaaaaaaa06', 'webchat:c1'))?.sentAt).toBe(at(6).toISOString());
        // The same card sent again (an update) keeps one record.
        await cards.remember({ ref: 'bbbbbbbbbbbb', userKey: 'webchat:b', conversation: 'webchat:c2', activityId: 'act-b2', sentAt: at(9) });
        expect((await cards.find('bbbbbbbbbbbb', 'webchat:c2'))?.activityId).toBe('act-b2');
        await expect(cards.remember({ ref: 'NOT HEX', userKey: 'webchat:b', conversation: 'webchat:c2', activityId: 'x' })).rejects.toThrow();
        expect(await cards.eraseFor('webchat:a')).toBe(5);
        expect(await cards.eraseFor('webchat:a')).toBe(0);
        expect(await opened.store.collection(CHECKLIST_CARDS_COLLECTION).countDocuments({})).toBe(1);
      } finally {
        await opened.dispose();
      }
    });
  });
});
