import { userKeyOf } from '../../services/profiles/profile';
import { escalationsFor, type JourneyHarness, openHarness } from './support/harness';
import { onboard, play, renderer } from './support/transcript';

/** Housing and work-and-learning goals: from a plan or own words, dated steps, linked help. */
describe('housing and work and learning goals', () => {
  let harness: JourneyHarness;
  const t = renderer(() => harness);

  beforeEach(async () => {
    harness = await openHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

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
    harness = await harness.restart();
    await play(harness.client('webchat', { from: 'halfway' }), [[t('journeys.goal.cv'), t('journeys.goals.plan-intro', { goal: t('journeys.goal.cv') })]]);
  });
});
