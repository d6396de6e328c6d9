import { userKeyOf } from '../../services/profiles/profile';
import { escalationsFor, harnessForEachTest, PA_ID } from './support/harness';
import { onboard, play, renderer } from './support/transcript';

/** The menu and the global commands, which interrupt any journey. */
describe('menu and global commands', () => {
  const harness = harnessForEachTest();
  const t = renderer(() => harness);

  const menuLabels = () =>
    ['entitlements', 'housing', 'work-learning', 'check-in', 'people', 'question', 'privacy', 'help'].map((item) => t(`journeys.menu.${item}`));

  it('shows the menu once in Web Chat: an Adaptive Card 1.5 of buttons, not repeated as suggested actions', async () => {
    const client = harness.client('webchat', { from: 'cards' });
    await onboard(client, t);
    const [menu] = await client.say('menu');
    const card = menu!.attachments![0]!;
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const content = card.content as { version: string; fallbackText: string };
    expect(content.version).toBe('1.5');
    for (const label of menuLabels()) expect(content.fallbackText).toContain(label);
    const buttons = JSON.stringify(card.content);
    for (const label of menuLabels()) expect(buttons).toContain(`"title":"${label}"`);
    expect(menu!.suggestedActions?.actions ?? []).toHaveLength(0);
  });

  it('shows a numbered text menu on a text-only channel, and a number picks an item', async () => {
    const client = harness.client('sms', { from: 'texter' });
    await onboard(client, t);
    const [menu] = await client.say('menu');
    expect(menu!.attachments ?? []).toHaveLength(0);
    menuLabels().forEach((label, index) => expect(menu!.text).toContain(`${index + 1}. ${label}`));
    await play(client, [['8', t('help').slice(0, 30)]]);
  });

  it('help in the middle of a journey shows help, then carries on', async () => {
    const client = harness.client('webchat', { from: 'helpme' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['help', t('help').slice(0, 30), t('journeys.global.resume'), t('journeys.onboarding.ask-name')],
      ['Robin', t('journeys.onboarding.ask-age')],
    ]);
  });

  it('menu in the middle of a journey leaves it for the menu', async () => {
    const client = harness.client('webchat', { from: 'menuer' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['main menu', t('menu.intro')],
      ['Robin', t('fallback.no-match').slice(0, 20)],
    ]);
  });

  it('stop reminders and start reminders, mid-journey, then carries on', async () => {
    const client = harness.client('webchat', { from: 'quiet' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['stop reminders', t('journeys.global.reminders-stopped'), t('journeys.onboarding.ask-name')],
    ]);
    expect(await harness.services.profiles.get(userKeyOf('webchat', 'quiet'))).toMatchObject({ remindersPaused: true });
    await play(client, [['start reminders', t('journeys.global.reminders-started'), t('journeys.onboarding.ask-name')]]);
    expect(await harness.services.profiles.get(userKeyOf('webchat', 'quiet'))).toMatchObject({ remindersPaused: false });
  });

  it('stop reminders without consent says there are none', async () => {
    const client = harness.client('webchat', { from: 'anon' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['not now', t('journeys.onboarding.declined').slice(0, 20)],
      ['stop reminders', t('journeys.global.reminders-no-profile')],
    ]);
  });

  it('talk to my PA asks the linked PA to get in touch, persisted with a notice queued', async () => {
    const client = harness.client('webchat', { from: 'talker' });
    await onboard(client, t);
    const { code } = await harness.inviteCodes.issueInviteCode(PA_ID);
    await play(client, [[code, t('journeys.pa.linked')], ['talk to my PA', t('journeys.pa.contact-requested')]]);
    const [raised] = await escalationsFor(harness.store, userKeyOf('webchat', 'talker'));
    expect(raised).toMatchObject({ category: 'contact_request', ownerKind: 'adviser', ownerAdviserId: PA_ID });
    expect(raised!.noticeEnqueuedAt).not.toBeNull();
  });

  it('talk to my PA with no PA linked goes to the leaving care (duty) team, even without consent', async () => {
    const client = harness.client('webchat', { from: 'nopa' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['talk to my pa', t('journeys.pa.contact-requested-duty'), t('journeys.global.resume'), t('journeys.onboarding.consent')],
    ]);
    const [raised] = await escalationsFor(harness.store, userKeyOf('webchat', 'nopa'));
    expect(raised).toMatchObject({ category: 'contact_request', ownerKind: 'duty' });
  });

  it('cancel with nothing going on is harmless', async () => {
    const client = harness.client('webchat', { from: 'canceller' });
    await onboard(client, t);
    await play(client, [['cancel', t('journeys.global.cancelled')], ['hi', t('welcome.back', { name: 'Sam' })]]);
  });

  it('a picture or an empty message gets a kind reply, and the question again', async () => {
    const client = harness.client('webchat', { from: 'pics' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      [{ attachments: [{ contentType: 'image/png', contentUrl: 'https://example.invalid/cat.png' }] }, t('journeys.global.no-text'), t('journeys.onboarding.ask-name')],
    ]);
  });

  it('Ask a question takes the next message as the question, whatever it looks like', async () => {
    const client = harness.client('webchat', { from: 'asker' });
    await onboard(client, t);
    await play(client, [
      [t('journeys.menu.question'), t('journeys.global.ask-question')],
      ['apprenticeship bursary', 'apprenticeship'],
    ]);
  });

  it('a question it cannot answer says so plainly (no guessing)', async () => {
    const client = harness.client('webchat', { from: 'stumper' });
    await onboard(client, t);
    const words = await client.words('zxqv plorb wibble');
    expect(words).toContain(t('fallback.no-match').slice(0, 30));
  });
});
