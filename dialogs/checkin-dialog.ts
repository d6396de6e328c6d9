import {
  type DialogTurnResult,
  type FoundChoice,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { JourneyDialog } from './journey-dialog';
import { isLowMood, NOTE_MAX } from '../services/checkins/checkins';
import type { JourneyServices, TextId } from './journey-services';
import { YES_NO_SYNONYMS } from './onboarding-dialog';
import { choicePrompt, markdown, NumberedChoicePrompt, reply, sayTemplate, suggestionChoices, exactAnswerOnly } from './prompts';
import { safetyOf } from './safety';
import { conversationKey, simplify, simplifyLabel, supportsCards, userKey } from './turn';

/**
 * Check in: a mood from 1 to 5 and an optional note, then the trend they can see. A low mood
 * offers to tell their PA (only with a yes). The safety gate screens the note like any message:
 * if it raised a concern, that reply is the last word, and the check-in is saved quietly.
 */
export const CHECK_IN_DIALOG = 'check-in';

const IDS = { steps: 'check-in.steps', mood: 'check-in.mood', note: 'check-in.note#note', offer: 'check-in.offer' };
const MOODS = ['1', '2', '3', '4', '5'] as const;

export class CheckInDialog extends JourneyDialog {
  constructor(private readonly services: JourneyServices) {
    super(CHECK_IN_DIALOG);
    this.addDialog(new NumberedChoicePrompt(IDS.mood));
    this.addDialog(
      new TextPrompt(IDS.note, async (prompt) => {
        const text = (prompt.recognized.value ?? '').trim();
        if (text.length > 0 && text.length <= NOTE_MAX) return true;
        await reply(prompt.context, this.t('journeys.checkin.ask-note'), [this.t('journeys.label.skip')]);
        return false;
      }),
    );
    this.addDialog(new NumberedChoicePrompt(IDS.offer, exactAnswerOnly));
    this.addDialog(new WaterfallDialog(IDS.steps, [this.askMood.bind(this), this.askNote.bind(this), this.save.bind(this), this.offered.bind(this)]));
    this.initialDialogId = IDS.steps;
  }

  private t(id: TextId, params?: Record<string, string | number>): string {
    return (this.services.texts.render as (id: string, params?: Record<string, string | number>) => string)(id, params);
  }

  private async askMood(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choices = MOODS.map((mood) => ({ value: mood, label: this.t(`journeys.checkin.mood.${mood}` as TextId) }));
    return step.prompt(IDS.mood, choicePrompt(step.context, this.t('journeys.checkin.ask-mood'), choices, this.t('journeys.checkin.mood-retry')));
  }

  private async askNote(step: WaterfallStepContext): Promise<DialogTurnResult> {
    (step.values as Record<string, unknown>).mood = Number((step.result as FoundChoice).value);
    const text = this.t('journeys.checkin.ask-note');
    return step.prompt(IDS.note, { prompt: supportsCards(step.context) ? markdown(text, [this.t('journeys.label.skip')]) : markdown(text) });
  }

  private async save(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const mood = (step.values as Record<string, unknown>).mood as number;
    const typed = String(step.result ?? '').trim();
    const skipped = [simplifyLabel(this.t('journeys.label.skip')), 'skip', 'no', 'no thanks', 'nope'].includes(simplify(typed));
    await this.services.checkIns.record(userKey(context), mood, skipped ? null : typed);
    // The gate answered a worry in the note: its reply (and its offer) is the last word.
    if (safetyOf(context)?.replied) return step.endDialog();

    const trend = await this.services.checkIns.trend(userKey(context));
    const lines = [this.t('journeys.checkin.saved')];
    if (trend) {
      lines.push(this.t('journeys.checkin.trend', { moods: trend.moods.join(', ') }));
      lines.push(this.t(`journeys.checkin.trend-${trend.direction}` as TextId));
    }
    await reply(context, lines.join('\n\n'));
    if (!isLowMood(mood)) return step.endDialog();
    const choices = suggestionChoices(this.services.texts, 'journeys.checkin.low-offer', ['yes', 'no'], YES_NO_SYNONYMS);
    return step.prompt(IDS.offer, choicePrompt(context, this.t('journeys.checkin.low-offer'), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async offered(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    if ((step.result as FoundChoice).value !== 'yes') {
      await sayTemplate(context, this.services.texts, 'journeys.checkin.not-told');
      return step.endDialog();
    }
    const mood = (step.values as Record<string, unknown>).mood as number;
    await this.services.pa.tellAboutLowMood({ userKey: userKey(context), conversationKey: conversationKey(context) }, mood);
    await sayTemplate(context, this.services.texts, 'journeys.checkin.told');
    return step.endDialog();
  }
}
