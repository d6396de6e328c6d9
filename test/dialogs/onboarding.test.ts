import { userKeyOf } from '../../services/profiles/profile';
import { escalationsFor, type JourneyClient, harnessForEachTest, PA_ID } from './support/harness';
import { play, renderer, type Says } from './support/transcript';

/**
 * Onboarding transcripts, BotBuilder-Samples core-bot style: each row of a table is
 * [what the young person says, words the replies must show]. Expected words are rendered from the
 * same moderated templates the bot uses, so rewording content does not break the tests.
 */
describe('onboarding and consent', () => {
  const harness = harnessForEachTest();
  const t = renderer(() => harness);

  const profileOf = (userId: string, channel = 'webchat') => harness.services.profiles.get(userKeyOf(channel, userId));

  describe.each([
    ['webchat', { value: { tribeAction: 'submit:situations', picks: 'education,parent' } }],
    ['msteams', { value: { tribeAction: 'submit:situations', picks: 'education,parent' } }],
    ['sms', '1 and 5'],
  ] as const)('the happy path on %s', (channel, situationAnswer) => {
    it('finishes in six answers and saves only what was asked', async () => {
      const client = harness.client(channel, { from: 'sam' });
      await play(client, [['hi', t('welcome').slice(0, 30), 'What Tribe keeps', t('journeys.onboarding.consent')]]);
      const before = client.turns;
      await play(client, [
        ['yes', t('journeys.onboarding.ask-name')],
        ['Sam', t('journeys.onboarding.nice-to-meet', { name: 'Sam' }), t('journeys.onboarding.ask-age')],
        ['19', t('journeys.onboarding.ask-council')],
        ['Leeds', channel === 'sms' ? t('journeys.onboarding.ask-situation-text') : t('journeys.onboarding.ask-situation')],
        [situationAnswer as Says, t('journeys.onboarding.ask-home'), t('journeys.home.supported-lodgings')],
        [t('journeys.home.supported-lodgings'), t('journeys.onboarding.done-named', { name: 'Sam' }), t('journeys.menu.entitlements')],
      ]);
      const turnsToOnboard = client.turns - before;
      expect(turnsToOnboard).toBeLessThanOrEqual(6);
      process.stdout.write(`measured: turns to finish onboarding on ${channel}: ${turnsToOnboard}\n`);

      const profile = await profileOf('sam', channel);
      expect(profile).toMatchObject({
        preferredName: 'Sam',
        birth: { kind: 'age', age: 19, on: '2026-11-23' },
        councilId: 'leeds',
        situations: ['education', 'parent'],
        home: 'supported-lodgings',
        consent: { version: expect.any(String) },
      });
      expect(profile?.onboardedAt).toBeDefined();
    });
  });

  it('answers a first question first, then offers to set up', async () => {
    const client = harness.client('webchat', { from: 'asker' });
    const words = await client.words('what is staying put?');
    expect(words).toMatch(/Staying Put/);
    expect(words.indexOf('Staying Put')).toBeLessThan(words.indexOf(t('journeys.onboarding.offer')));
    expect(words).toContain(t('journeys.onboarding.consent'));
  });

  it('without consent, stores nothing, still answers questions, and can set up later', async () => {
    const client = harness.client('webchat', { from: 'private' });
    await play(client, [
      ['hello', t('journeys.onboarding.consent')],
      ['not now', t('journeys.onboarding.declined').slice(0, 40)],
      ['how do I get the apprenticeship bursary?', 'apprenticeship'],
      ['hi', t('journeys.menu.entitlements')],
    ]);
    expect(await profileOf('private')).toBeNull();
    await play(client, [['set up', 'What Tribe keeps', t('journeys.onboarding.consent')], ['yes', t('journeys.onboarding.ask-name')]]);
    expect(await profileOf('private')).not.toBeNull();
  });

  it('asks again, kindly, when an answer does not fit', async () => {
    const client = harness.client('webchat', { from: 'wobbly' });
    await play(client, [
      ['hey', t('journeys.onboarding.consent')],
      ['banana', t('journeys.onboarding.consent-retry')],
      ['ok', t('journeys.onboarding.ask-name')],
      ['!!!', t('journeys.onboarding.name-retry')],
      ['my name is Jo', t('journeys.onboarding.nice-to-meet', { name: 'Jo' })],
      ['old enough', t('journeys.onboarding.age-unclear')],
      ['12', t('journeys.onboarding.age-too-young')],
      ['31', t('journeys.onboarding.age-too-old')],
      ['14/03/2007', t('journeys.onboarding.ask-council')],
      ['Narnia', t('journeys.onboarding.council-unknown')],
      ['Kingston', t('journeys.onboarding.ask-situation')],
      ['purple', t('journeys.onboarding.situation-retry')],
      ['none of these', t('journeys.onboarding.ask-home')],
      ['upside down', t('journeys.onboarding.choice-retry')],
      [t('journeys.label.rather-not-say'), t('journeys.onboarding.done-named', { name: 'Jo' })],
    ]);
    const profile = await profileOf('wobbly');
    expect(profile).toMatchObject({ preferredName: 'Jo', birth: { kind: 'dob', dateOfBirth: '2007-03-14' }, councilId: 'kingston-upon-thames', situations: [] });
    expect(profile?.home).toBeUndefined();
  });

  it('never takes a question as consent: consent needs a plain yes', async () => {
    const client = harness.client('webchat', { from: 'careful' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['is it ok to skip this?', t('journeys.global.resume'), t('journeys.onboarding.consent')],
      ['ok then maybe', t('journeys.onboarding.consent-retry')],
    ]);
    expect(await profileOf('careful')).toBeNull();
    await play(client, [["Yes, that's OK", t('journeys.onboarding.ask-name')]]);
    expect(await profileOf('careful')).not.toBeNull();
  });

  it('offers close matches for a council, and lets every question be skipped', async () => {
    const client = harness.client('webchat', { from: 'skipper' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      [t('journeys.label.skip'), t('journeys.onboarding.ask-age')],
      [t('journeys.label.skip'), t('journeys.onboarding.ask-council')],
      ['Northamptonshire', t('journeys.onboarding.council-pick'), 'North Northamptonshire', 'West Northamptonshire', t('journeys.label.none-of-these')],
      ['West Northamptonshire', t('journeys.onboarding.ask-situation')],
    ]);
    const profile = await profileOf('skipper');
    expect(profile).toMatchObject({ councilId: 'west-northamptonshire' });
    expect(profile?.preferredName).toBeUndefined();
    expect(profile?.birth).toBeUndefined();
  });

  it('cancel midway stops, keeps what was saved, and welcomes them back later', async () => {
    const client = harness.client('webchat', { from: 'quitter' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['Alex', t('journeys.onboarding.ask-age')],
      ['cancel', t('journeys.global.cancelled')],
      ['hi', t('welcome.back', { name: 'Alex' })],
    ]);
  });

  it('resumes where it was after the service restarts', async () => {
    const client = harness.client('webchat', { from: 'restart' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['Riley', t('journeys.onboarding.ask-age')],
      ['20', t('journeys.onboarding.ask-council')],
    ]);
    await harness.restart();
    const after = harness.client('webchat', { from: 'restart' });
    await play(after, [
      ['Kent', t('journeys.onboarding.ask-situation')],
      [{ value: { tribeAction: 'submit:situations', picks: 'work' } }, t('journeys.onboarding.ask-home')],
      [t('journeys.home.own-tenancy'), t('journeys.onboarding.done-named', { name: 'Riley' })],
    ]);
    expect(await profileOf('restart')).toMatchObject({ preferredName: 'Riley', councilId: 'kent', situations: ['work'], home: 'own-tenancy' });
  });

  it('answers a question asked in the middle, then carries on', async () => {
    const client = harness.client('webchat', { from: 'curious' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['Max', t('journeys.onboarding.ask-age')],
      ['how much is the setting up home allowance?', 'Setting Up Home Allowance', t('journeys.global.resume'), t('journeys.onboarding.ask-age')],
      ['18', t('journeys.onboarding.ask-council')],
    ]);
  });

  it('treats sofa-surfing as homelessness: raised for the PA or duty team, with support shown', async () => {
    const client = harness.client('webchat', { from: 'sofa' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      [t('journeys.label.skip'), t('journeys.onboarding.ask-age')],
      ['17', t('journeys.onboarding.ask-council')],
      ['Bristol', t('journeys.onboarding.ask-situation')],
      [{ value: { tribeAction: 'submit:situations', picks: '' } }, t('journeys.onboarding.ask-home')],
      [t('journeys.home.sofa-surfing'), t('safety.high.homelessness').slice(0, 40)],
    ]);
    const raised = await escalationsFor(harness.store, userKeyOf('webchat', 'sofa'));
    expect(raised).toEqual([expect.objectContaining({ severity: 'high', category: 'homelessness' })]);
    expect(await profileOf('sofa')).toMatchObject({ home: 'sofa-surfing' });
  });

  describe('after the safety gate', () => {
    it('sets the journey aside after a high concern', async () => {
      const client = harness.client('webchat', { from: 'hurt' });
      await play(client, [
        ['hi', t('journeys.onboarding.consent')],
        ['yes', t('journeys.onboarding.ask-name')],
      ]);
      const words = await client.words('he hits me');
      expect(words).toContain(t('safety.high.harm').slice(0, 30));
      expect(words).not.toContain(t('journeys.onboarding.ask-name'));
      expect(words).not.toContain(t('journeys.onboarding.name-retry'));
      // The next message starts afresh rather than being taken as a name.
      expect(await client.words('hi')).toContain(t('journeys.menu.entitlements'));
    });

    it('after a medium concern leaves the question waiting and says nothing more', async () => {
      const client = harness.client('webchat', { from: 'low' });
      await play(client, [
        ['hi', t('journeys.onboarding.consent')],
        ['yes', t('journeys.onboarding.ask-name')],
      ]);
      const replies = await client.say('feeling so low today');
      expect(replies).toHaveLength(1);
      expect(replies[0]!.text).toContain(t('safety.medium').slice(0, 30));
      await play(client, [['Kai', t('journeys.onboarding.ask-age')]]);
    });

    it('says nothing at all after an urgent screen (the gate replied and ended the turn)', async () => {
      const client = harness.client('webchat', { from: 'crisis' });
      await play(client, [['hi', t('journeys.onboarding.consent')]]);
      const replies = await client.say('i want to die');
      expect(replies).toHaveLength(1);
      expect(replies[0]!.text).toContain(t('safety.urgent').slice(0, 30));
    });
  });

  describe('linking to a PA', () => {
    async function onboard(client: JourneyClient) {
      await play(client, [
        ['hi', t('journeys.onboarding.consent')],
        ['yes', t('journeys.onboarding.ask-name')],
        ['Sam', t('journeys.onboarding.ask-age')],
        ['19', t('journeys.onboarding.ask-council')],
        ['York', t('journeys.onboarding.ask-situation')],
        [{ value: { tribeAction: 'submit:situations', picks: 'work' } }, t('journeys.onboarding.ask-home')],
        [t('journeys.home.own-tenancy'), t('journeys.onboarding.done-named', { name: 'Sam' })],
      ]);
    }

    it('links with a code from the PA, typed straight after onboarding', async () => {
      const client = harness.client('webchat', { from: 'linker' });
      await onboard(client);
      const { code } = await harness.inviteCodes.issueInviteCode(PA_ID);
      await play(client, [[code.toLowerCase(), t('journeys.pa.linked')]]);
      expect(await profileOf('linker')).toMatchObject({ adviserId: PA_ID });
      await play(client, [[code, t('journeys.pa.code-used')], ['ABCD-2345', t('journeys.pa.code-not-found')]]);
    });

    it('needs consent before linking', async () => {
      const client = harness.client('webchat', { from: 'nolink' });
      await play(client, [
        ['hi', t('journeys.onboarding.consent')],
        ['no', t('journeys.onboarding.declined').slice(0, 30)],
      ]);
      const { code } = await harness.inviteCodes.issueInviteCode(PA_ID);
      await play(client, [[code, t('journeys.pa.code-needs-setup')]]);
    });
  });
});
