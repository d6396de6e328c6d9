import type { TurnContext } from 'botbuilder';
import {
  type DialogTurnResult,
  type FoundChoice,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { JourneyDialog } from './journey-dialog';
import {
  personNameSchema,
  RELATIONSHIPS,
  type Relationship,
  SHARE_TOPICS,
  type ShareTopic,
  TooManyPeopleError,
  type TrustedPerson,
} from '../services/people/trusted-people';
import type { JourneyServices, TextId } from './journey-services';
import { YES_NO_SYNONYMS } from './onboarding-dialog';
import { choicePrompt, multiSelectPrompt, picksFrom, reply, sayTemplate, suggestionChoices, exactAnswerOnly, TribeChoicePrompt } from './prompts';
import { userKey } from './turn';

/**
 * My people: who is in their tribe; add someone they trust (name, who they are) with an invite
 * code for them; choose what that person may hear about; pause, restart or remove them.
 */
export const PEOPLE_DIALOG = 'people';

const IDS = {
  steps: 'people.steps',
  action: 'people.action',
  add: 'people.add',
  name: 'people.name#free',
  relationship: 'people.relationship',
  shares: 'people.shares#multi',
  change: 'people.change',
  pick: 'people.pick',
  confirm: 'people.confirm',
};

interface Values {
  action?: string;
  name?: string;
  relationship?: Relationship;
  personId?: string;
}

export class PeopleDialog extends JourneyDialog {
  constructor(private readonly services: JourneyServices) {
    super(PEOPLE_DIALOG);
    this.addDialog(new TribeChoicePrompt(IDS.action));
    this.addDialog(new TribeChoicePrompt(IDS.relationship));
    this.addDialog(new TribeChoicePrompt(IDS.pick));
    this.addDialog(new TribeChoicePrompt(IDS.confirm, exactAnswerOnly));
    this.addDialog(
      new TextPrompt(IDS.name, async (prompt) => {
        if (personNameSchema.safeParse(prompt.recognized.value ?? '').success) return true;
        await reply(prompt.context, this.t('journeys.people.name-retry'));
        return false;
      }),
    );
    this.addDialog(
      new TextPrompt(IDS.shares, async (prompt) => {
        if (picksFrom(prompt.context, this.shareSpec('')) !== null) return true;
        await reply(prompt.context, this.t('journeys.people.shares-retry'));
        return false;
      }),
    );
    this.addDialog(new WaterfallDialog(IDS.steps, [this.list.bind(this), this.route.bind(this)]));
    this.addDialog(new WaterfallDialog(IDS.add, [this.askName.bind(this), this.askRelationship.bind(this), this.askShares.bind(this), this.added.bind(this)]));
    this.addDialog(new WaterfallDialog(IDS.change, [this.pickPerson.bind(this), this.changePerson.bind(this), this.changed.bind(this)]));
    this.initialDialogId = IDS.steps;
  }

  private t(id: TextId, params?: Record<string, string | number>): string {
    return (this.services.texts.render as (id: string, params?: Record<string, string | number>) => string)(id, params);
  }

  private values(step: WaterfallStepContext): Values {
    return step.values as Values;
  }

  private shareSpec(name: string) {
    return {
      cardQuestion: this.t('journeys.people.ask-shares', { name }),
      textQuestion: this.t('journeys.people.ask-shares-text', { name }),
      options: SHARE_TOPICS.map((topic) => ({ value: topic, label: this.t(`journeys.people.share.${topic}` as TextId) })),
      noneLabel: this.t('journeys.label.none-of-these'),
      doneLabel: this.t('journeys.label.done'),
      token: 'submit:shares',
    };
  }

  private line(person: TrustedPerson): string {
    return this.t('journeys.people.person-line', {
      name: person.name,
      relationship: this.t(`journeys.people.relationship.${person.relationship}` as TextId),
      status: this.t(`journeys.people.status.${person.status}` as TextId),
    });
  }

  private async list(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const people = await this.services.people.list(userKey(step.context));
    if (people.length === 0) {
      await sayTemplate(step.context, this.services.texts, 'journeys.people.none');
      return step.replaceDialog(IDS.add);
    }
    await reply(step.context, [this.t('journeys.people.list-intro'), ...people.map((person) => `- ${this.line(person)}`)].join('\n'));
    const choices = [
      { value: 'add', label: this.t('journeys.people.label.add') },
      { value: 'shares', label: this.t('journeys.people.label.shares') },
      { value: 'pause', label: this.t('journeys.people.label.pause') },
      { value: 'remove', label: this.t('journeys.people.label.remove') },
      { value: 'menu', label: this.t('journeys.label.back-to-menu') },
    ];
    return step.prompt(IDS.action, choicePrompt(step.context, this.t('journeys.people.options'), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async route(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const action = (step.result as FoundChoice).value;
    if (action === 'add') return step.replaceDialog(IDS.add);
    if (action === 'menu') return step.endDialog();
    return step.replaceDialog(IDS.change, { action });
  }

  private async askName(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.prompt(IDS.name, { prompt: this.t('journeys.people.ask-name') });
  }

  private async askRelationship(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const name = personNameSchema.parse(String(step.result));
    this.values(step).name = name;
    const choices = RELATIONSHIPS.map((relationship) => ({ value: relationship, label: this.t(`journeys.people.relationship.${relationship}` as TextId) }));
    return step.prompt(IDS.relationship, choicePrompt(step.context, this.t('journeys.people.ask-relationship', { name }), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async askShares(step: WaterfallStepContext): Promise<DialogTurnResult> {
    this.values(step).relationship = (step.result as FoundChoice).value as Relationship;
    return step.prompt(IDS.shares, multiSelectPrompt(step.context, this.shareSpec(this.values(step).name!)));
  }

  private sharesFrom(context: TurnContext): ShareTopic[] {
    return (picksFrom(context, this.shareSpec('')) ?? []) as ShareTopic[];
  }

  private async added(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { name, relationship } = this.values(step);
    try {
      const { code } = await this.services.people.add(userKey(step.context), { name: name!, relationship: relationship!, shares: this.sharesFrom(step.context) });
      await reply(step.context, this.t('journeys.people.added', { name: name!, code }));
    } catch (error) {
      if (!(error instanceof TooManyPeopleError)) throw error;
      await sayTemplate(step.context, this.services.texts, 'journeys.people.too-many');
    }
    return step.endDialog();
  }

  private async pickPerson(step: WaterfallStepContext): Promise<DialogTurnResult> {
    this.values(step).action = (step.options as { action: string }).action;
    const people = await this.services.people.list(userKey(step.context));
    const choices = people.map((person) => ({ value: person._id, label: person.name }));
    return step.prompt(IDS.pick, choicePrompt(step.context, this.t('journeys.people.pick'), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async changePerson(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const personId = (step.result as FoundChoice).value;
    this.values(step).personId = personId;
    const person = await this.services.people.get(userKey(context), personId);
    if (!person) return step.endDialog();
    switch (this.values(step).action) {
      case 'shares':
        return step.prompt(IDS.shares, multiSelectPrompt(context, this.shareSpec(person.name)));
      case 'pause': {
        const pausing = person.status !== 'paused';
        await this.services.people.setPaused(userKey(context), personId, pausing);
        await reply(context, this.t(pausing ? 'journeys.people.paused' : 'journeys.people.resumed', { name: person.name }));
        return step.endDialog();
      }
      default: {
        const choices = suggestionChoices(this.services.texts, 'journeys.people.remove-confirm', ['yes', 'no'], YES_NO_SYNONYMS);
        return step.prompt(
          IDS.confirm,
          choicePrompt(context, this.t('journeys.people.remove-confirm', { name: person.name }), choices, this.t('journeys.onboarding.choice-retry')),
        );
      }
    }
  }

  private async changed(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const { action, personId } = this.values(step);
    const person = await this.services.people.get(userKey(context), personId!);
    if (!person) return step.endDialog();
    if (action === 'shares') {
      await this.services.people.setShares(userKey(context), person._id, this.sharesFrom(context));
      await reply(context, this.t('journeys.people.shares-saved', { name: person.name }));
    } else if ((step.result as FoundChoice).value === 'yes') {
      await this.services.people.remove(userKey(context), person._id);
      await reply(context, this.t('journeys.people.removed', { name: person.name }));
    } else {
      await sayTemplate(context, this.services.texts, 'journeys.people.kept');
    }
    return step.endDialog();
  }
}
