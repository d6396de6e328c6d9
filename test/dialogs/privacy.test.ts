import { raiseConcern } from '../../services/escalations';
import { userKeyOf } from '../../services/profiles/profile';
import { escalationsFor, type JourneyHarness, openHarness } from './support/harness';
import { onboard, play, renderer } from './support/transcript';

/** Privacy: the notice, export my data (summary + JSON file), delete my data (asked once). */
describe('privacy', () => {
  let harness: JourneyHarness;
  const t = renderer(() => harness);

  beforeEach(async () => {
    harness = await openHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  function fileOf(reply: { attachments?: Array<{ contentType: string; contentUrl?: string; name?: string }> }) {
    const file = reply.attachments?.find((attachment) => attachment.contentType === 'application/json');
    expect(file?.name).toMatch(/^tribe-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const [, base64] = file!.contentUrl!.split(',');
    return JSON.parse(Buffer.from(base64!, 'base64').toString('utf8')) as { exportedAt: string; sections: Record<string, unknown> };
  }

  it('shows the notice and options from the menu, and exports a readable summary and a JSON file', async () => {
    const client = harness.client('webchat', { from: 'sam' });
    await onboard(client, t, { name: 'Sam', age: '19', council: 'Leeds', picks: 'education,parent', home: 'supported-lodgings' });
    await play(client, [[t('journeys.menu.privacy'), 'What Tribe keeps', t('journeys.privacy.options'), t('journeys.privacy.label.export')]]);
    const [summary] = await client.say(t('journeys.privacy.label.export'));
    for (const line of [
      t('journeys.privacy.export-intro'),
      t('journeys.privacy.export.name', { name: 'Sam' }),
      t('journeys.privacy.export.age', { age: 19 }),
      t('journeys.privacy.export.council', { council: 'Leeds' }),
      t('journeys.privacy.export.home', { home: t('journeys.home.supported-lodgings') }),
      t('journeys.privacy.export.file'),
    ]) {
      expect(summary!.text).toContain(line);
    }
    const data = fileOf(summary!);
    expect(data.sections.profile).toMatchObject({ preferredName: 'Sam', councilId: 'leeds', situations: ['education', 'parent'] });
    expect(data.sections.profile).not.toHaveProperty('_id');
    expect(data.sections.profile).not.toHaveProperty('reference');
    expect(data.sections).toMatchObject({ entitlements: [], goals: [], checkIns: [], people: [], reminders: [] });
  });

  it('on Teams and text-only channels gives the JSON as a block of text to copy', async () => {
    const client = harness.client('msteams', { from: 'teams' });
    await onboard(client, t, { name: 'Tam' });
    const replies = await client.say('export my data');
    expect(replies[0]!.text).toContain(t('journeys.privacy.export.text'));
    const block = replies[1]!.text!;
    expect(block.startsWith('```json')).toBe(true);
    expect(JSON.parse(block.replace(/^```json\n/, '').replace(/\n```$/, '')).sections.profile).toMatchObject({ preferredName: 'Tam' });
  });

  it('export my data in the middle of a journey, then carries on', async () => {
    const client = harness.client('webchat', { from: 'mid' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['export my data', t('journeys.privacy.export-intro'), t('journeys.global.resume'), t('journeys.onboarding.ask-name')],
    ]);
  });

  it('has nothing to export or delete without consent', async () => {
    const client = harness.client('webchat', { from: 'nobody' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['not now', t('journeys.onboarding.declined').slice(0, 20)],
      ['export my data', t('journeys.privacy.export-nothing')],
      ['delete my data', t('journeys.privacy.nothing-to-delete')],
    ]);
  });

  it('delete my data asks once; no keeps everything, yes deletes everything personal', async () => {
    const client = harness.client('webchat', { from: 'leaver' });
    await onboard(client, t, { name: 'Lee' });
    const key = userKeyOf('webchat', 'leaver');
    await harness.services.tracker.setStatus(key, 'entitlement.personal-adviser', 'applied');
    await harness.services.checkIns.record(key, 4, 'a good day');
    await harness.services.people.add(key, { name: 'Aunt Jo', relationship: 'family' });
    await harness.services.goals.create(key, 'housing', 'own-flat');

    await play(client, [
      ['delete my data', t('journeys.privacy.delete-confirm')],
      ['No, keep it', t('journeys.privacy.delete-cancelled')],
    ]);
    expect(await harness.services.profiles.get(key)).not.toBeNull();

    await play(client, [
      ['delete my data', t('journeys.privacy.delete-confirm')],
      ['Yes, delete it all', t('journeys.privacy.deleted').slice(0, 40)],
    ]);
    expect(await harness.services.profiles.get(key)).toBeNull();
    const left = await harness.services.privacy.exportData(key);
    expect(left.sections).toEqual({ entitlements: [], goals: [], checkIns: [], people: [], reminders: [], concerns: [], profile: null });
  });

  it('export includes what a concern kept; delete removes their words and their link from an open concern (the privacy notice)', async () => {
    const client = harness.client('webchat', { from: 'worried' });
    await onboard(client, t, { name: 'Wren' });
    const key = userKeyOf('webchat', 'worried');
    await raiseConcern(harness.escalations, {
      userKey: key,
      conversationKey: 'webchat:worried-conversation',
      severity: 'medium',
      category: 'mental_health',
      messageText: 'Wren feels low most days',
    });
    expect((await harness.services.privacy.exportData(key)).sections.concerns).toEqual([
      expect.objectContaining({ severity: 'medium', category: 'mental_health', whatYouWrote: 'Wren feels low most days' }),
    ]);

    await harness.services.privacy.deleteData(key);
    expect(await escalationsFor(harness.store, key)).toEqual([]);
    const kept = await harness.escalations.escalations.list({});
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ status: 'raised', excerpt: '', erased: true });
    expect(JSON.stringify(kept)).not.toContain('worried');
  });

  it('delete in the middle of a journey leaves the journey for the confirmation', async () => {
    const client = harness.client('webchat', { from: 'midway' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['delete my data', t('journeys.privacy.delete-confirm')],
      ['gibberish', t('journeys.onboarding.choice-retry')],
      ['yes', t('journeys.privacy.deleted').slice(0, 40)],
    ]);
    expect(await harness.services.profiles.get(userKeyOf('webchat', 'midway'))).toBeNull();
  });
});
