import { ConversationState, TestAdapter, UserState, type Activity } from 'botbuilder';
import { SAFETY_TURN_STATE as GATE_KEY } from '../../bot/middleware/safety-gate';
import { DocumentStateStorage } from '../../bot/state-storage';
import { createTribeBot } from '../../bot/tribe-bot';
import { SAFETY_TURN_STATE } from '../../dialogs/safety';
import { fakeSafetyGate, harnessForEachTest } from './support/harness';
import { renderer } from './support/transcript';

/** The whole bot (activity handler, aftercare, a gate with the real gate's contract) on a TestAdapter. */
describe('the bot after a crisis turn', () => {
  const harness = harnessForEachTest();
  const t = renderer(() => harness);

  it('reads the safety verdict under the gate’s own turn-state key', () => {
    expect(SAFETY_TURN_STATE).toBe(GATE_KEY);
  });

  it('sets the journey aside, so the next message is not taken as the answer it was waiting for', async () => {
    const storage = new DocumentStateStorage(harness.store);
    const bot = createTribeBot(new ConversationState(storage), new UserState(storage), harness.services);
    const replies: string[] = [];
    const adapter = new TestAdapter(async (context) => bot.run(context), { channelId: 'webchat' });
    adapter.use(bot.aftercare).use(fakeSafetyGate(harness.catalog));
    const say = async (text: string) => {
      replies.length = 0;
      await adapter.receiveActivity(text);
      for (let reply = adapter.activityBuffer.shift(); reply; reply = adapter.activityBuffer.shift()) replies.push((reply as Partial<Activity>).text ?? '');
      return replies.join('\n');
    };

    expect(await say('hi')).toContain(t('journeys.onboarding.consent'));
    expect(await say('yes')).toContain(t('journeys.onboarding.ask-name'));
    expect(await say('i want to die')).toBe(t('safety.urgent'));
    const after = await say('Sam');
    expect(after).not.toContain(t('journeys.onboarding.nice-to-meet', { name: 'Sam' }));
    expect(after).not.toContain(t('journeys.onboarding.ask-age'));
  });

  it('welcomes on conversationUpdate once, not twice', async () => {
    const storage = new DocumentStateStorage(harness.store);
    const bot = createTribeBot(new ConversationState(storage), new UserState(storage), harness.services);
    const adapter = new TestAdapter(async (context) => bot.run(context), { channelId: 'webchat' });
    const update = { type: 'conversationUpdate', membersAdded: [{ id: 'user1', name: 'user' }, { id: 'bot', name: 'bot' }] };
    await adapter.receiveActivity(update);
    expect(adapter.activityBuffer.map((reply) => (reply as Partial<Activity>).text ?? '').join('\n')).toContain(t('journeys.onboarding.consent'));
    adapter.activityBuffer.length = 0;
    await adapter.receiveActivity(update);
    expect(adapter.activityBuffer).toHaveLength(0);
  });
});
