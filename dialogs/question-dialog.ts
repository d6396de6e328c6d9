import type { TurnContext } from 'botbuilder';
import { type DialogTurnResult, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { JourneyDialog } from './journey-dialog';
import { formatAnswer } from '../services/content/answer';
import type { JourneyServices } from './journey-services';
import { reply, sayTemplate } from './prompts';

/** "Ask a question": free-text questions answered from published content, shown as written. */
export const QUESTION_DIALOG = 'question';

const IDS = { steps: 'question.steps', text: 'question.text#ask' };

/**
 * Answers with published content, or says plainly that there is no good answer (never a guess).
 * Returns true when an answer was found.
 */
export async function answer(context: TurnContext, services: JourneyServices, question: string, options: { fallback: boolean } = { fallback: true }): Promise<boolean> {
  const found = await services.answerQuestion(question);
  if (found.kind === 'answer') {
    await reply(context, formatAnswer(services.catalog, found.item));
    return true;
  }
  if (options.fallback) await sayTemplate(context, services.texts, 'fallback.no-match');
  return false;
}

export class QuestionDialog extends JourneyDialog {
  constructor(private readonly services: JourneyServices) {
    super(QUESTION_DIALOG);
    this.addDialog(new TextPrompt(IDS.text));
    this.addDialog(
      new WaterfallDialog(IDS.steps, [
        async (step: WaterfallStepContext): Promise<DialogTurnResult> =>
          step.prompt(IDS.text, { prompt: this.services.texts.render('journeys.global.ask-question') }),
        async (step: WaterfallStepContext): Promise<DialogTurnResult> => {
          await answer(step.context, this.services, String(step.result ?? ''));
          return step.endDialog();
        },
      ]),
    );
    this.initialDialogId = IDS.steps;
  }
}
