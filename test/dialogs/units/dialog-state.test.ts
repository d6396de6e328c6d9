import { ChoicePrompt, type DialogInstance } from 'botbuilder-dialogs';
import { createRootDialog } from '../../../bot/tribe-bot';
import { flattenJourneyStack } from '../../../dialogs/journey-dialog';
import { restoredOptions, TribeChoicePrompt } from '../../../dialogs/prompts';
import type { Document } from '../../../services/store/port';
import { harnessForEachTest } from '../support/harness';
import { play, renderer } from '../support/transcript';

/**
 * What a conversation keeps between messages: journeys sit flat on the root dialog's stack, and a
 * choice prompt keeps only its words and choices. Conversations saved before (journeys inside
 * ComponentDialogs, prompts with their whole options) carry on where they were.
 */
interface StateDocument extends Document {
  state: string;
}

type Stack = DialogInstance[];

describe('dialog state', () => {
  const harness = harnessForEachTest();
  const t = renderer(() => harness);

  const botState = () => harness.store.collection<StateDocument>('botstate');

  /** The saved conversation state (DialogTestClient keeps the dialog stack as `DialogState`; TribeBot as `dialogState`). */
  type SavedState = { DialogState: { dialogStack: Stack } };

  async function savedState(): Promise<{ doc: StateDocument; state: SavedState }> {
    const [doc] = await botState().find({});
    return { doc: doc!, state: JSON.parse(doc!.state) };
  }

  /** The root dialog's own stack, inside the saved state. */
  const rootStack = (state: SavedState) => (state.DialogState.dialogStack[0]!.state as { dialogs: { dialogStack: Stack } }).dialogs.dialogStack;

  it('keeps a journey’s waterfall and prompt on the root’s stack, and only the words and choices of a choice prompt', async () => {
    const client = harness.client('msteams', { from: 'sam' });
    const asked = (await client.say('hi')).at(-1)!;
    const { doc, state } = await savedState();
    expect(rootStack(state).map((instance) => instance.id)).toEqual(['root.route', 'onboarding.steps', 'onboarding.consent']);
    const options = rootStack(state)[2]!.state.options as Record<string, unknown>;
    expect(Object.keys(options)).toEqual(['tribeChoicePrompt']);
    expect(options.tribeChoicePrompt).toMatchObject({ prompt: t('journeys.onboarding.consent'), retry: t('journeys.onboarding.consent-retry'), card: true });
    // No Teams card and no Adaptive Card JSON in the state: they are made again when needed.
    expect(doc.state).not.toContain('AdaptiveCard');
    // Asked again after a wrong answer: the same card, made from what was kept.
    const retry = await client.say('purple');
    expect(retry).toHaveLength(1);
    expect(retry[0]!.inputHint).toBe(asked.inputHint);
    const card = (text: string) => JSON.stringify(asked.attachments).replaceAll(t('journeys.onboarding.consent'), text);
    expect(JSON.stringify(retry[0]!.attachments)).toBe(card(t('journeys.onboarding.consent-retry')));
    await play(client, [['yes', t('journeys.onboarding.ask-name')]]);
  });

  it('gives back the options a ChoicePrompt was first given, and leaves other options alone', async () => {
    const client = harness.client('webchat', { from: 'sam' });
    const first = await client.say('hi');
    const { state } = await savedState();
    const saved = rootStack(state)[2]!.state.options;
    const restored = restoredOptions(saved as never)!;
    expect(restored.prompt).toBe(t('journeys.onboarding.consent'));
    expect(restored.retryPrompt).toBe(t('journeys.onboarding.consent-retry'));
    expect(restored.choices).toEqual([
      expect.objectContaining({ value: 'yes', action: expect.objectContaining({ title: first.at(-1)!.suggestedActions!.actions[0]!.title }) }),
      expect.objectContaining({ value: 'no' }),
    ]);
    expect((restored.choices as Array<{ synonyms: string[] }>)[0]!.synonyms).toEqual(expect.arrayContaining(['yes', 'choice:yes', 'yeah']));
    expect(JSON.parse(JSON.stringify(restored))).toEqual(saved);
    const other = { prompt: 'Type a number', validations: { count: 3 } };
    expect(restoredOptions(other)).toBe(other);
  });

  it('asks every choice question with a prompt that makes its options again from what state keeps', () => {
    const dialogs = createRootDialog(harness.conversationState, harness.services).dialogs.getDialogs();
    const choices = dialogs.filter((dialog) => dialog instanceof ChoicePrompt);
    expect(choices.length).toBeGreaterThan(10);
    expect(choices.filter((dialog) => !(dialog instanceof TribeChoicePrompt)).map((dialog) => dialog.id)).toEqual([]);
  });

  it('carries on a conversation saved with journeys inside ComponentDialogs', async () => {
    const client = harness.client('webchat', { from: 'sam' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['Sam', t('journeys.onboarding.ask-age')],
    ]);
    // Rewrite the saved state as the earlier layout kept it.
    const { doc, state } = await savedState();
    const stack = rootStack(state);
    expect(stack.map((instance) => instance.id)).toEqual(['root.route', 'onboarding.steps', 'onboarding.age#free']);
    const legacy: Stack = [stack[0]!, { id: 'onboarding', state: { dialogs: { dialogStack: stack.slice(1) } } }];
    (state.DialogState.dialogStack[0]!.state as { dialogs: { dialogStack: Stack } }).dialogs.dialogStack = legacy;
    await botState().updateOne({ _id: doc._id }, { $set: { state: JSON.stringify(state) } });

    await play(client, [
      ['19', t('journeys.onboarding.ask-council')],
      ['Leeds', t('journeys.onboarding.ask-situation')],
    ]);
    const { state: after } = await savedState();
    expect(rootStack(after).map((instance) => instance.id)).toEqual(['root.route', 'onboarding.steps', 'onboarding.situation#multi']);
  });

  it('carries on a choice prompt saved with its whole options', async () => {
    const client = harness.client('webchat', { from: 'sam' });
    await play(client, [['hi', t('journeys.onboarding.consent')]]);
    const { doc, state } = await savedState();
    const prompt = rootStack(state)[2]!;
    prompt.state.options = JSON.parse(JSON.stringify({ ...restoredOptions(prompt.state.options), toJSON: undefined }));
    expect(Object.keys(prompt.state.options)).toEqual(['prompt', 'retryPrompt', 'choices', 'style']);
    await botState().updateOne({ _id: doc._id }, { $set: { state: JSON.stringify(state) } });
    await play(client, [
      ['purple', t('journeys.onboarding.consent-retry')],
      ['yes', t('journeys.onboarding.ask-name')],
    ]);
  });

  describe('flattenJourneyStack', () => {
    const journeys = new Set(['onboarding', 'goals']);
    const component = (id: string, inner: Stack): DialogInstance => ({ id, state: { dialogs: { dialogStack: inner } } });

    it('puts each journey’s own stack in its place, nested ones too', () => {
      const stack: Stack = [
        { id: 'root.route', state: {} },
        component('goals', [{ id: 'goals.steps', state: { stepIndex: 1 } }, component('onboarding', [{ id: 'onboarding.steps', state: {} }, { id: 'onboarding.home#home', state: {} }])]),
      ];
      expect(flattenJourneyStack(stack, journeys)).toBe(true);
      expect(stack.map((instance) => instance.id)).toEqual(['root.route', 'goals.steps', 'onboarding.steps', 'onboarding.home#home']);
      expect(stack[1]!.state).toEqual({ stepIndex: 1 });
    });

    it('leaves a flat stack, and anything that is not a journey, as it was', () => {
      const stack: Stack = [{ id: 'root.route', state: {} }, { id: 'onboarding.steps', state: {} }, { id: 'other', state: { dialogs: { dialogStack: [] } } }];
      const before = structuredClone(stack);
      expect(flattenJourneyStack(stack, journeys)).toBe(false);
      expect(stack).toEqual(before);
    });
  });
});
