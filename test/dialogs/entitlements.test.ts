import { dueReminders, buildChecklist, progressOf, type Status } from '../../services/entitlements/tracker';
import { queueEntitlementReminders } from '../../services/entitlements/reminders';
import { OutboxRepository } from '../../services/outbox/outbox-repository';
import type { Profile } from '../../services/profiles/profile';
import { userKeyOf } from '../../services/profiles/profile';
import { readableDate } from '../../dialogs/dates';
import { type JourneyHarness, openHarness } from './support/harness';
import { onboard, play, renderer } from './support/transcript';

/** The number of a line in a numbered list the bot sent. */
function numberOf(words: string, line: string): string {
  const match = new RegExp(`(\\d+)\\. ${line.replace(/[()]/g, '\\$&')}`).exec(words);
  if (!match) throw new Error(`no line "${line}" in:\n${words}`);
  return match[1]!;
}

/** The entitlements tracker: personalised checklist (rules are data), statuses, progress, reminders. */
describe('entitlements tracker', () => {
  let harness: JourneyHarness;
  const t = renderer(() => harness);

  beforeEach(async () => {
    harness = await openHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

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
      const card = checklist!.attachments![0]!.content as { body: Array<Record<string, unknown>> };
      const item = card.body.find((element) => element.type === 'Container' && JSON.stringify(element).includes('entitlement.staying-put')) as {
        items: Array<{ type: string; actions?: Array<{ type: string; title: string; card?: { body: Array<{ type: string; text?: string; actions?: Array<{ title: string; data: { tribeAction: string } }> }> } }> }>;
      };
      const update = item.items.find((element) => element.type === 'ActionSet')!.actions!.find((action) => action.type === 'Action.ShowCard')!;
      expect(update.title).toBe(t('journeys.entitlements.label.update'));
      taps += 1; // "Update" opens the statuses in the card (no message sent), under the question
      expect(update.card!.body[0]).toMatchObject({ type: 'TextBlock', text: t('journeys.entitlements.set-status') });
      const applied = update.card!.body.flatMap((row) => row.actions ?? []).find((action) => action.title === t('journeys.entitlements.status.applied'))!;
      const words = await client.press(applied.data.tribeAction);
      taps += 1; // the status
      expect(words).toContain(t('journeys.entitlements.status-saved', { title: 'Staying Put with your foster carer', status: t('journeys.entitlements.status.applied') }));
      // Applied and getting it both count as progress, out of everything on their checklist.
      const total = card.body.filter((element) => element.type === 'Container').length;
      expect(words).toContain(t('journeys.entitlements.progress', { started: 1, total }));
      expect(taps).toBeLessThanOrEqual(3);
      process.stdout.write(`measured: taps to change an entitlement status on Web Chat: ${taps}\n`);
      const statuses = await harness.services.tracker.checklist(userKeyOf('webchat', 'tapper'), await harness.services.profiles.get(userKeyOf('webchat', 'tapper')));
      expect(statuses.find((entry) => entry.entitlement.id === 'entitlement.staying-put')?.status).toBe('applied');
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
      harness = await harness.restart();
      const after = harness.client('sms', { from: 'restarter' });
      await play(after, [['asked about it', t('journeys.entitlements.status-saved', { title: 'A personal adviser (PA)', status: t('journeys.entitlements.status.asked') })]]);
      harness = await harness.restart();
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
});
