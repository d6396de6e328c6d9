import { trendOf } from '../../services/checkins/checkins';
import { userKeyOf } from '../../services/profiles/profile';
import { escalationsFor, harnessForEachTest } from './support/harness';
import { onboard, play, renderer } from './support/transcript';

/** Check-ins: mood 1 to 5, an optional note, a trend; a low mood offers to tell their PA. */
describe('check-ins', () => {
  const harness = harnessForEachTest();
  const t = renderer(() => harness);

  it.each([
    [[3], { moods: [3], direction: 'first' }],
    [[2, 2, 4], { moods: [2, 2, 4], direction: 'up' }],
    [[4, 4, 2], { moods: [4, 4, 2], direction: 'down' }],
    [[3, 4, 3], { moods: [3, 4, 3], direction: 'steady' }],
    [[1, 2, 3, 4, 5, 5, 5, 5], { moods: [3, 4, 5, 5, 5, 5], direction: 'up' }],
  ])('trend of %j', (moods, expected) => {
    const checkIns = moods.map((mood, index) => ({ mood, at: `2026-11-${String(10 + index).padStart(2, '0')}T10:00:00.000Z` }));
    expect(trendOf(checkIns)).toMatchObject(expected);
  });

  it('checks in with a note, and shows the trend over time', async () => {
    const client = harness.client('webchat', { from: 'moody' });
    await onboard(client, t);
    await play(client, [
      [t('journeys.menu.check-in'), t('journeys.checkin.ask-mood'), t('journeys.checkin.mood.5')],
      ['purple', t('journeys.checkin.mood-retry')],
      [t('journeys.checkin.mood.3'), t('journeys.checkin.ask-note')],
      ['got the bus to college on my own', t('journeys.checkin.saved'), t('journeys.checkin.trend-first')],
    ]);
    harness.clock.advanceDays(2);
    await play(client, [
      [t('journeys.menu.check-in'), t('journeys.checkin.ask-mood')],
      ['5', t('journeys.checkin.ask-note')],
      [t('journeys.label.skip'), t('journeys.checkin.trend', { moods: '3, 5' }), t('journeys.checkin.trend-up')],
    ]);
    const exported = (await harness.services.privacy.exportData(userKeyOf('webchat', 'moody'))).sections.checkIns;
    expect(exported).toEqual([
      expect.objectContaining({ mood: 3, note: 'got the bus to college on my own' }),
      expect.objectContaining({ mood: 5, note: null }),
    ]);
  });

  it('a low mood offers to tell their PA; yes raises it to the PA (or duty team), no does not', async () => {
    const client = harness.client('sms', { from: 'low' });
    await onboard(client, t);
    await play(client, [
      [t('journeys.menu.check-in'), t('journeys.checkin.ask-mood')],
      ['1', t('journeys.checkin.ask-note')],
      ['skip', t('journeys.checkin.low-offer')],
      ['No, not now', t('journeys.checkin.not-told')],
    ]);
    expect(await escalationsFor(harness.store, userKeyOf('sms', 'low'))).toEqual([]);
    await play(client, [
      [t('journeys.menu.check-in'), t('journeys.checkin.ask-mood')],
      ['2', t('journeys.checkin.ask-note')],
      ['skip', t('journeys.checkin.low-offer')],
      ['yes', t('journeys.checkin.told')],
    ]);
    const [raised] = await escalationsFor(harness.store, userKeyOf('sms', 'low'));
    expect(raised).toMatchObject({ severity: 'medium', category: 'mental_health', ownerKind: 'duty' });
    expect(raised!.noticeEnqueuedAt).not.toBeNull();
    expect(raised!.excerpt).toBe(t('journeys.pa.excerpt.low-mood', { mood: 2 }));
  });

  it('the safety screen still applies to the note: its reply is the last word, and the check-in is kept', async () => {
    const client = harness.client('webchat', { from: 'screened' });
    await onboard(client, t);
    await play(client, [
      [t('journeys.menu.check-in'), t('journeys.checkin.ask-mood')],
      ['2', t('journeys.checkin.ask-note')],
    ]);
    const replies = await client.say('feeling so lonely lately');
    expect(replies).toHaveLength(1);
    expect(replies[0]!.text).toContain(t('safety.medium').slice(0, 30));
    const recent = await harness.services.checkIns.recent(userKeyOf('webchat', 'screened'));
    expect(recent).toEqual([expect.objectContaining({ mood: 2, note: 'feeling so lonely lately' })]);
  });

  it('cancel midway saves nothing; after a restart it resumes at the note', async () => {
    const client = harness.client('sms', { from: 'resumer' });
    await onboard(client, t);
    await play(client, [
      [t('journeys.menu.check-in'), t('journeys.checkin.ask-mood')],
      ['cancel', t('journeys.global.cancelled')],
      [t('journeys.menu.check-in'), t('journeys.checkin.ask-mood')],
      ['4', t('journeys.checkin.ask-note')],
    ]);
    expect(await harness.services.checkIns.recent(userKeyOf('sms', 'resumer'))).toEqual([]);
    await harness.restart();
    await play(harness.client('sms', { from: 'resumer' }), [['saw my sister', t('journeys.checkin.saved')]]);
    expect(await harness.services.checkIns.recent(userKeyOf('sms', 'resumer'))).toEqual([expect.objectContaining({ mood: 4, note: 'saw my sister' })]);
  });

  it('an urgent note ends the check-in: nothing more is said', async () => {
    const client = harness.client('webchat', { from: 'urgent' });
    await onboard(client, t);
    await play(client, [
      [t('journeys.menu.check-in'), t('journeys.checkin.ask-mood')],
      ['1', t('journeys.checkin.ask-note')],
    ]);
    const replies = await client.say('i want to die');
    expect(replies.map((reply) => reply.text)).toEqual([t('safety.urgent')]);
  });
});
