import { ConversationState, MemoryStorage, TestAdapter, type TurnContext } from 'botbuilder';
import { ChoicePrompt, DialogSet, type DialogState, DialogTurnStatus, ListStyle } from 'botbuilder-dialogs';
import { skipActivityReceivedEvent } from '../../../bot/dialog-fast-paths';

/** TribeBot skips botbuilder-dialogs' "activityReceived" event, so a waiting prompt recognises each message once. */
describe('skipActivityReceivedEvent', () => {
  async function answersRecognised(skip: boolean): Promise<{ recognitions: number; replies: string[] }> {
    let recognitions = 0;
    class CountingPrompt extends ChoicePrompt {
      protected override async onRecognize(...args: Parameters<ChoicePrompt['onRecognize']>) {
        recognitions += 1;
        return super.onRecognize(...args);
      }
    }
    const state = new ConversationState(new MemoryStorage());
    const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState')).add(new CountingPrompt('pick'));
    const replies: string[] = [];
    const adapter = new TestAdapter(async (context: TurnContext) => {
      const dc = await dialogs.createContext(context);
      if (skip) expect(skipActivityReceivedEvent(context)).toBe(true);
      const result = await dc.continueDialog();
      if (result.status === DialogTurnStatus.empty) {
        await dc.prompt('pick', { prompt: 'Pick one', choices: ['red', 'blue'], style: ListStyle.none });
      } else if (result.status === DialogTurnStatus.complete) {
        await context.sendActivity(`picked ${(result.result as { value: string }).value}`);
      }
      await state.saveChanges(context);
    });
    await adapter
      .send('hi')
      .assertReply((reply) => void replies.push(reply.text ?? ''))
      .send('2') // a number: the choice recognisers' slow path
      .assertReply((reply) => void replies.push(reply.text ?? ''))
      .startTest();
    return { recognitions, replies };
  }

  it('finds the library’s mark (fails loudly if botbuilder-dialogs renames it)', async () => {
    const { recognitions, replies } = await answersRecognised(true);
    expect(replies).toEqual(['Pick one', 'picked blue']);
    expect(recognitions).toBe(1);
  });

  it('changes nothing else: without it the same answer is recognised twice', async () => {
    const { recognitions, replies } = await answersRecognised(false);
    expect(replies).toEqual(['Pick one', 'picked blue']);
    expect(recognitions).toBe(2);
  });
});
