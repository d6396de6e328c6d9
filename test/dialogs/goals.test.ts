import { parseDueDate } from '../../services/goals/due-dates';
import { Goals } from '../../services/goals/goals';
import { adapters } from '../support/stores-under-test';
import { FakeClock } from './support/harness';
import { userKeyOf } from '../../services/profiles/profile';
import { escalationsFor, harnessForEachTest } from './support/harness';
import { onboard, play, renderer } from './support/transcript';

/** What a young person types for a step's new date, read on Monday 23 November 2026. */
describe('reading a new date for a goal step', () => {
  const today = '2026-11-23';
  it.each([
    ['14/03/2027', '2027-03-14'],
    ['14-3-27', '2027-03-14'],
    ['2027-03-14', '2027-03-14'],
    ['14 March', '2027-03-14'],
    ['14th of March 2027', '2027-03-14'],
    ['March 14th', '2027-03-14'],
    ['1 dec', '2026-12-01'],
    ['23/11', '2026-11-23'], // today still counts
    ['22/11', '2027-11-22'], // no year: the next one to come
    ['today', '2026-11-23'],
    ['Tomorrow', '2026-11-24'],
    ['next Friday', '2026-11-27'],
    ['monday', '2026-11-30'],
    ['In a week', '2026-11-30'],
    ['In two weeks', '2026-12-07'],
    ['in 3 days', '2026-11-26'],
    ['In a month', '2026-12-23'],
    ['a fortnight', '2026-12-07'],
    ['next month', '2026-12-23'],
    ['by Friday', '2026-11-27'],
    ['by 14/03/2027.', '2027-03-14'],
    ['on the 1st of December', '2026-12-01'],
  ])('"%s" is %s', (typed, date) => {
    expect(parseDueDate(typed, today)).toEqual({ ok: true, date });
  });

  it.each([
    ['soon', 'unclear'],
    ['31/02/2027', 'unclear'],
    ['14 Smarch 2027', 'unclear'],
    ['', 'unclear'],
    ['in many weeks', 'unclear'],
    ['22/11/2026', 'past'],
    ['2020-01-01', 'past'],
    ['1 January 2030', 'too-far'],
  ])('"%s" is refused as %s', (typed, problem) => {
    expect(parseDueDate(typed, today)).toEqual({ ok: false, problem });
  });
});

/** Housing and work-and-learning goals: from a plan or own words, dated steps, linked help. */
describe('housing and work and learning goals', () => {
  const harness = harnessForEachTest();
  const t = renderer(() => harness);

  it('sets a housing goal from a plan: dated steps, each linked to the entitlement that helps', async () => {
    const client = harness.client('webchat', { from: 'flat' });
    await onboard(client, t, { home: 'supported-lodgings' });
    await play(client, [
      [t('journeys.menu.housing'), t('journeys.housing.ask-goal'), t('journeys.goal.own-flat'), t('journeys.goal.stay-put'), t('journeys.label.own-words')],
      [
        t('journeys.goal.own-flat'),
        t('journeys.goals.plan-intro', { goal: t('journeys.goal.own-flat') }),
        t('journeys.goals.step-line-help', { n: 4, step: t('journeys.goal.own-flat.step-4'), date: '23 December 2026', help: 'Setting Up Home Allowance' }),
        t('journeys.goals.saved'),
      ],
    ]);
    const [goal] = await harness.services.goals.list(userKeyOf('webchat', 'flat'), 'housing');
    expect(goal).toMatchObject({ planId: 'own-flat', status: 'active' });
    expect(goal!.steps.map((step) => step.dueOn)).toEqual(['2026-11-30', '2026-12-07', '2026-12-14', '2026-12-23', '2027-01-07']);
  });

  it('sets a goal in their own words, ticks steps off until it is done', async () => {
    const client = harness.client('sms', { from: 'words' });
    await onboard(client, t, { home: 'own-tenancy' });
    await play(client, [
      [t('journeys.menu.housing'), t('journeys.housing.ask-goal')],
      [t('journeys.label.own-words'), t('journeys.goals.ask-own-words')],
      ['x', t('journeys.goals.own-words-retry')],
      ['live closer to my sister', t('journeys.goals.plan-intro', { goal: 'live closer to my sister' }), t('journeys.goal.own-words.step-1')],
    ]);
    for (let n = 1; n <= 3; n += 1) {
      await play(client, [
        [t('journeys.menu.housing'), t('journeys.goals.your-goals'), t('journeys.goals.options')],
        [t('journeys.goals.label.tick'), t('journeys.goals.tick-which')],
        ['1', t('journeys.goals.step-done', { step: t(`journeys.goal.own-words.step-${n}`) })],
      ]);
    }
    expect(client.last.map((reply) => reply.text).join('\n')).toContain(t('journeys.goals.goal-done', { goal: 'live closer to my sister' }));
    expect(await harness.services.goals.list(userKeyOf('sms', 'words'), 'housing')).toEqual([]);
  });

  it('asks where they live first when it is not known, and sofa-surfing reaches the safety route', async () => {
    const client = harness.client('webchat', { from: 'sofa' });
    await onboard(client, t, { home: 'rather-not-say'.replace('rather-not-say', 'own-tenancy') });
    await harness.services.profiles.update(userKeyOf('webchat', 'sofa'), { home: null });
    await play(client, [
      [t('journeys.menu.housing'), t('journeys.onboarding.ask-home')],
      [t('journeys.home.nowhere'), t('safety.high.homelessness').slice(0, 40)],
    ]);
    expect(await escalationsFor(harness.store, userKeyOf('webchat', 'sofa'))).toEqual([expect.objectContaining({ category: 'homelessness', severity: 'high' })]);
    expect(await harness.services.profiles.get(userKeyOf('webchat', 'sofa'))).toMatchObject({ home: 'nowhere' });
  });

  it('changes where they live from the housing options', async () => {
    const client = harness.client('webchat', { from: 'mover' });
    await onboard(client, t, { home: 'supported-lodgings' });
    await play(client, [
      [t('journeys.menu.housing'), t('journeys.housing.ask-goal')],
      [t('journeys.goal.keep-tenancy'), t('journeys.goals.saved')],
      [t('journeys.menu.housing'), t('journeys.goals.label.housing-now')],
      [t('journeys.goals.label.housing-now'), t('journeys.onboarding.ask-home')],
      [t('journeys.home.own-tenancy'), t('journeys.housing.home-saved')],
    ]);
    expect(await harness.services.profiles.get(userKeyOf('webchat', 'mover'))).toMatchObject({ home: 'own-tenancy' });
  });

  it('work and learning goals show the bursaries that apply, with amounts', async () => {
    const client = harness.client('webchat', { from: 'apprentice' });
    await onboard(client, t, { age: '17', picks: 'education' });
    await play(client, [
      [t('journeys.menu.work-learning'), t('journeys.work.ask-goal'), t('journeys.goal.driving-licence')],
      [
        t('journeys.goal.college'),
        t('journeys.goals.plan-intro', { goal: t('journeys.goal.college') }),
        t('journeys.work.money-intro'),
        t('journeys.work.money-line', { title: '16 to 19 Bursary', amount: t('journeys.entitlements.amount.up-to-year', { amount: 1200 }) }),
      ],
    ]);
  });

  it('needs consent: without it, offers to set up instead', async () => {
    const client = harness.client('webchat', { from: 'anon' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['not now', t('journeys.onboarding.declined').slice(0, 20)],
      [t('journeys.menu.housing'), t('journeys.global.needs-setup')],
      ['Not now', t('journeys.global.maybe-later')],
      [t('journeys.menu.work-learning'), t('journeys.global.needs-setup')],
      ['Set me up', 'What Tribe keeps', t('journeys.onboarding.consent')],
    ]);
  });

  describe('changing a goal: a new date for a step, or dropping it', () => {
    const stepOne = () => t('journeys.goal.own-flat.step-1');
    const own = (from: string) => userKeyOf('webchat', from);

    async function withOwnFlat(from: string) {
      const client = harness.client('webchat', { from });
      await onboard(client, t, { home: 'supported-lodgings' });
      await play(client, [
        [t('journeys.menu.housing'), t('journeys.housing.ask-goal')],
        [t('journeys.goal.own-flat'), t('journeys.goals.saved')],
      ]);
      return client;
    }

    it('gives a step a new date in four taps, with kind retries for dates it cannot use', async () => {
      const client = await withOwnFlat('redater');
      const start = client.turns;
      await play(client, [
        [t('journeys.menu.housing'), t('journeys.goals.your-goals'), `[${t('journeys.goals.label.redate')}]`, `[${t('journeys.goals.label.drop')}]`],
        [t('journeys.goals.label.redate'), t('journeys.goals.redate-which'), `[${stepOne()}]`],
        [stepOne(), t('journeys.goals.ask-date', { step: stepOne() }), '[In two weeks]'],
        ['whenever', t('journeys.goals.date-unclear'), '[In a week]'],
        ['31/02/2027', t('journeys.goals.date-unclear')],
        ['01/11/2026', t('journeys.goals.date-past')],
        ['1 January 2031', t('journeys.goals.date-too-far')],
        ['In two weeks', t('journeys.goals.step-redated', { step: stepOne(), date: '7 December 2026' })],
      ]);
      expect(client.turns - start - 4).toBe(4); // four wrong dates on the way
      const [goal] = await harness.services.goals.list(own('redater'), 'housing');
      expect(goal!.steps.map((step) => step.dueOn)).toEqual(['2026-12-07', '2026-12-07', '2026-12-14', '2026-12-23', '2027-01-07']);
      // The plan shows the new date.
      await play(client, [
        [t('journeys.menu.housing'), `1. ${stepOne()} (by 7 December 2026)`],
      ]);
    });

    it('on a card, the new date can come from the date picker; a picked day that has gone is refused kindly', async () => {
      const client = await withOwnFlat('picker');
      const [menu, , ask] = [
        await client.words(t('journeys.menu.housing')),
        await client.words(t('journeys.goals.label.redate')),
        await client.say(t('journeys.goal.own-flat.step-2')),
      ];
      expect(menu).toContain(t('journeys.goals.options'));
      const card = ask[0]!.attachments![0]!.content as { body: Array<Record<string, unknown>>; actions: Array<{ title: string; data: Record<string, string> }> };
      // [the picker: from today, no more than two years on, starting at the step's date]
      expect(card.body[1]).toMatchObject({ type: 'Input.Date', id: 'dueDate', min: '2026-11-23', max: '2028-11-23', value: '2026-12-07' });
      expect(card.actions[0]).toMatchObject({ title: t('journeys.goals.label.save-date'), data: { tribeAction: 'submit:due-date' } });
      expect(ask[0]!.suggestedActions!.actions.map((action) => action.title)).toEqual(['In a week', 'In two weeks', 'In a month']);
      const picked = (dueDate: string) => ({ value: { tribeAction: 'submit:due-date', dueDate } });
      await play(client, [
        [picked('2026-11-01'), t('journeys.goals.date-past')],
        [picked('not a date'), t('journeys.goals.date-unclear')],
        [picked('2027-01-15'), t('journeys.goals.step-redated', { step: t('journeys.goal.own-flat.step-2'), date: '15 January 2027' })],
      ]);
      const [goal] = await harness.services.goals.list(own('picker'), 'housing');
      expect(goal!.steps[1]!.dueOn).toBe('2027-01-15');
    });

    it('a new date typed in a text-only chat, by numbers and words', async () => {
      const client = harness.client('sms', { from: 'texter' });
      await onboard(client, t, { home: 'own-tenancy' });
      await play(client, [
        [t('journeys.menu.work-learning'), t('journeys.work.ask-goal')],
        [t('journeys.goal.cv'), t('journeys.goals.saved')],
        [t('journeys.menu.work-learning'), t('journeys.goals.options'), t('journeys.goals.label.redate')],
        ['3', t('journeys.goals.redate-which'), `2. ${t('journeys.goal.cv.step-2')}`],
        ['2', t('journeys.goals.ask-date', { step: t('journeys.goal.cv.step-2') })],
        ['next friday', t('journeys.goals.step-redated', { step: t('journeys.goal.cv.step-2'), date: '27 November 2026' })],
      ]);
      const [goal] = await harness.services.goals.list(userKeyOf('sms', 'texter'), 'work-learning');
      expect(goal!.steps[1]!.dueOn).toBe('2026-11-27');
    });

    it('cancel midway leaves the date as it was; a step ticked off meanwhile is not found, kindly', async () => {
      const client = await withOwnFlat('changer');
      await play(client, [
        [t('journeys.menu.housing'), t('journeys.goals.options')],
        [t('journeys.goals.label.redate'), t('journeys.goals.redate-which')],
        [stepOne(), t('journeys.goals.ask-date', { step: stepOne() })],
        ['cancel', t('journeys.global.cancelled')],
      ]);
      const [goal] = await harness.services.goals.list(own('changer'), 'housing');
      expect(goal!.steps[0]!.dueOn).toBe('2026-11-30');
      await play(client, [
        [t('journeys.menu.housing'), t('journeys.goals.options')],
        [t('journeys.goals.label.redate'), t('journeys.goals.redate-which')],
      ]);
      await harness.services.goals.completeStep(own('changer'), goal!._id, 1); // e.g. from another chat
      await play(client, [[stepOne(), t('journeys.goals.not-found')]]);
      await play(client, [
        [t('journeys.menu.housing'), t('journeys.goals.options')],
        [t('journeys.goals.label.tick'), t('journeys.goals.tick-which')],
      ]);
      await harness.services.goals.completeStep(own('changer'), goal!._id, 2);
      await play(client, [[t('journeys.goal.own-flat.step-2'), t('journeys.goals.not-found')]]);
    });

    // [what they answer when asked to confirm, what the bot says, is the goal still there]
    it.each([
      ['No, keep it', 'journeys.goals.kept', true],
      ['nah', 'journeys.goals.kept', true],
      ['Yes, drop it', 'journeys.goals.dropped', false],
      ['yes', 'journeys.goals.dropped', false],
    ] as const)('drops their only goal in three taps, after a yes: "%s"', async (answer, says, kept) => {
      const client = await withOwnFlat('dropper');
      await play(client, [
        [t('journeys.menu.housing'), t('journeys.goals.options')],
        [t('journeys.goals.label.drop'), t('journeys.goals.drop-confirm', { goal: t('journeys.goal.own-flat') }), '[Yes, drop it]', '[No, keep it]'],
        ['maybe', t('journeys.onboarding.choice-retry')],
        [answer, t(says, kept ? undefined : { goal: t('journeys.goal.own-flat') })],
      ]);
      expect(await harness.services.goals.list(own('dropper'), 'housing')).toHaveLength(kept ? 1 : 0);
      if (!kept) {
        // Gone from the lists and the checklist's links, kept in their export as dropped until they delete their data.
        await play(client, [[t('journeys.menu.housing'), t('journeys.housing.ask-goal')]]);
        expect(await harness.services.goals.exportFor(own('dropper'))).toEqual([expect.objectContaining({ goal: 'own-flat', status: 'dropped' })]);
      }
    });

    it('with two goals, asks which to drop; an unknown goal gets a kind retry; a goal gone meanwhile is not found', async () => {
      const client = await withOwnFlat('two');
      await play(client, [
        [t('journeys.menu.housing'), t('journeys.goals.options')],
        [t('journeys.goals.label.new'), t('journeys.housing.ask-goal')],
        [t('journeys.label.own-words'), t('journeys.goals.ask-own-words')],
        ['live near the sea', t('journeys.goals.saved')],
        [t('journeys.menu.housing'), t('journeys.goals.options')],
        [t('journeys.goals.label.drop'), t('journeys.goals.drop-which'), `[${t('journeys.goal.own-flat')}]`, '[live near the sea]'],
        ['a castle', t('journeys.onboarding.choice-retry')],
        ['live near the sea', t('journeys.goals.drop-confirm', { goal: 'live near the sea' })],
        ['Yes, drop it', t('journeys.goals.dropped', { goal: 'live near the sea' })],
      ]);
      const left = await harness.services.goals.list(own('two'), 'housing');
      expect(left.map((goal) => goal.planId)).toEqual(['own-flat']);

      await play(client, [
        [t('journeys.menu.housing'), t('journeys.goals.options')],
        [t('journeys.goals.label.drop'), t('journeys.goals.drop-confirm', { goal: t('journeys.goal.own-flat') })],
      ]);
      await harness.services.goals.drop(own('two'), left[0]!._id);
      await play(client, [['Yes, drop it', t('journeys.goals.not-found')]]);
      expect(await harness.services.goals.drop(own('two'), left[0]!._id)).toBe(false);
      expect(await harness.services.goals.drop(own('two'), 'goal-not-real')).toBe(false);
    });

    it('a step date survives a restart in the middle of the question', async () => {
      await withOwnFlat('restarter');
      await play(harness.client('webchat', { from: 'restarter' }), [
        [t('journeys.menu.housing'), t('journeys.goals.options')],
        [t('journeys.goals.label.redate'), t('journeys.goals.redate-which')],
        [stepOne(), t('journeys.goals.ask-date', { step: stepOne() })],
      ]);
      await harness.restart();
      await play(harness.client('webchat', { from: 'restarter' }), [['14/03/2027', t('journeys.goals.step-redated', { step: stepOne(), date: '14 March 2027' })]]);
    });
  });

  it('cancel midway leaves no goal; a restart resumes at the same question', async () => {
    const client = harness.client('webchat', { from: 'halfway' });
    await onboard(client, t);
    await play(client, [
      [t('journeys.menu.work-learning'), t('journeys.work.ask-goal')],
      ['stop', t('journeys.global.cancelled')],
      [t('journeys.menu.work-learning'), t('journeys.work.ask-goal')],
      ['pizza', t('journeys.onboarding.choice-retry')],
    ]);
    expect(await harness.services.goals.list(userKeyOf('webchat', 'halfway'))).toEqual([]);
    await harness.restart();
    await play(harness.client('webchat', { from: 'halfway' }), [[t('journeys.goal.cv'), t('journeys.goals.plan-intro', { goal: t('journeys.goal.cv') })]]);
  });
});

/** Dropping and re-dating, written once against the store port, on both adapters. */
describe.each(adapters)('goal changes on the %s store', (_kind, open) => {
  it('re-dates only a step not done yet, drops only an active goal of the same young person', async () => {
    const opened = await open();
    try {
      const goals = new Goals(opened.store, new FakeClock());
      const goal = await goals.create('sms:a', 'work-learning', 'cv');
      await goals.completeStep('sms:a', goal._id, 1);
      // [who, step, new date, what happens]
      const rows: Array<[string, number, string, 'moved' | 'refused']> = [
        ['sms:a', 2, '2027-01-15', 'moved'],
        ['sms:a', 1, '2027-01-16', 'refused'], // done already
        ['sms:a', 9, '2027-01-16', 'refused'], // no such step
        ['sms:b', 3, '2027-01-16', 'refused'], // not their goal
      ];
      for (const [who, n, date, outcome] of rows) {
        const result = await goals.redateStep(who, goal._id, n, date);
        expect([who, n, result ? 'moved' : 'refused']).toEqual([who, n, outcome]);
      }
      await expect(goals.redateStep('sms:a', goal._id, 3, '15/01/2027')).rejects.toThrow(RangeError);
      expect((await goals.get('sms:a', goal._id))!.steps.map((step) => step.dueOn)).toEqual(['2026-11-26', '2027-01-15', '2026-12-07']);

      expect(await goals.drop('sms:b', goal._id)).toBe(false);
      expect(await goals.drop('sms:a', goal._id)).toBe(true);
      expect(await goals.drop('sms:a', goal._id)).toBe(false);
      expect(await goals.list('sms:a')).toEqual([]);
      expect(await goals.redateStep('sms:a', goal._id, 3, '2027-01-16')).toBeNull();
      expect(await goals.completeStep('sms:a', goal._id, 3)).toBeNull();
      expect(await goals.get('sms:a', goal._id)).toMatchObject({ status: 'dropped', droppedAt: '2026-11-23T12:00:00.000Z' });
    } finally {
      await opened.dispose();
    }
  });
});
