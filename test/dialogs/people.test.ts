import { userKeyOf } from '../../services/profiles/profile';
import { harnessForEachTest } from './support/harness';
import { onboard, play, renderer } from './support/transcript';

/** My people: add someone trusted with an invite code, choose what they hear, pause or remove. */
describe('my people', () => {
  const harness = harnessForEachTest();
  const t = renderer(() => harness);

  const codeIn = (words: string) => /([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})/.exec(words)?.[1];

  it('adds someone with an invite code; they join with it and hear only what was chosen', async () => {
    const client = harness.client('webchat', { from: 'sam' });
    await onboard(client, t, { name: 'Sam' });
    await play(client, [
      [t('journeys.menu.people'), t('journeys.people.none'), t('journeys.people.ask-name')],
      ['!!', t('journeys.people.name-retry')],
      ['Aunt Jo', t('journeys.people.ask-relationship', { name: 'Aunt Jo' })],
      ['cousin-ish', t('journeys.onboarding.choice-retry')],
      [t('journeys.people.relationship.family'), t('journeys.people.ask-shares', { name: 'Aunt Jo' }), t('journeys.people.share.nudges')],
    ]);
    const added = await client.words({ value: { tribeAction: 'submit:shares', picks: 'nudges,goals' } });
    const code = codeIn(added);
    expect(code).toBeDefined();
    expect(added).toContain(t('journeys.people.added', { name: 'Aunt Jo', code: code! }));

    const [person] = await harness.services.people.list(userKeyOf('webchat', 'sam'));
    expect(person).toMatchObject({ name: 'Aunt Jo', relationship: 'family', shares: ['nudges', 'goals'], status: 'invited' });
    expect(JSON.stringify(person)).not.toContain(code!.replace(/-/g, ''));

    // The trusted adult types the code in their own chat.
    const adult = harness.client('webchat', { from: 'aunt-jo' });
    await play(adult, [[code!.toLowerCase(), t('journeys.people.adult-joined', { name: 'Sam' })]]);
    expect(await harness.services.people.audienceFor(userKeyOf('webchat', 'sam'), 'goals')).toHaveLength(1);
    expect(await harness.services.people.audienceFor(userKeyOf('webchat', 'sam'), 'check-ins')).toHaveLength(0);
    await play(adult, [['hi', t('journeys.people.adult-help')]]);
    await play(harness.client('webchat', { from: 'someone-else' }), [[code!, t('journeys.people.adult-code-problem')]]);
  });

  it('shows who is in their tribe; changes what they hear; pauses, restarts and removes them (text channel)', async () => {
    const client = harness.client('sms', { from: 'kit' });
    await onboard(client, t);
    const key = userKeyOf('sms', 'kit');
    await harness.services.people.add(key, { name: 'Dee', relationship: 'foster-carer' });
    await play(client, [
      [t('journeys.menu.people'), t('journeys.people.list-intro'), `Dee, ${t('journeys.people.relationship.foster-carer')}: ${t('journeys.people.status.invited')}`],
      [t('journeys.people.label.shares'), t('journeys.people.pick'), 'Dee'],
      ['Dee', t('journeys.people.ask-shares-text', { name: 'Dee' })],
      ['banana', t('journeys.people.shares-retry')],
      ['2 and 3', t('journeys.people.shares-saved', { name: 'Dee' })],
      [t('journeys.menu.people'), t('journeys.people.options')],
      [t('journeys.people.label.pause'), t('journeys.people.pick')],
      ['1', t('journeys.people.paused', { name: 'Dee' })],
      [t('journeys.menu.people'), t('journeys.people.status.paused')],
      [t('journeys.people.label.pause'), t('journeys.people.pick')],
      ['Dee', t('journeys.people.resumed', { name: 'Dee' })],
      [t('journeys.menu.people'), t('journeys.people.options')],
      [t('journeys.people.label.remove'), t('journeys.people.pick')],
      ['Dee', t('journeys.people.remove-confirm', { name: 'Dee' })],
      ['No, keep', t('journeys.people.kept')],
    ]);
    expect((await harness.services.people.list(key))[0]).toMatchObject({ shares: ['check-ins', 'goals'], status: 'invited' });
    await play(client, [
      [t('journeys.menu.people'), t('journeys.people.options')],
      [t('journeys.people.label.remove'), t('journeys.people.pick')],
      ['Dee', t('journeys.people.remove-confirm', { name: 'Dee' })],
      ['Yes, remove', t('journeys.people.removed', { name: 'Dee' })],
    ]);
    expect(await harness.services.people.list(key)).toEqual([]);
  });

  it('cancel midway adds nobody; a restart resumes at the same question', async () => {
    const client = harness.client('webchat', { from: 'mid' });
    await onboard(client, t);
    await play(client, [
      [t('journeys.menu.people'), t('journeys.people.ask-name')],
      ['Ray', t('journeys.people.ask-relationship', { name: 'Ray' })],
    ]);
    await harness.restart();
    const after = harness.client('webchat', { from: 'mid' });
    await play(after, [
      [t('journeys.people.relationship.mentor'), t('journeys.people.ask-shares', { name: 'Ray' })],
      ['cancel', t('journeys.global.cancelled')],
    ]);
    expect(await harness.services.people.list(userKeyOf('webchat', 'mid'))).toEqual([]);
  });
});
