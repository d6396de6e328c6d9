import { type Attachment, type TurnContext } from 'botbuilder';
import { ChoicePrompt, ComponentDialog, type DialogTurnResult, type FoundChoice, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { DataExport } from '../services/privacy/privacy-service';
import { ageOn } from '../services/profiles/age';
import { SITUATIONS, type Profile } from '../services/profiles/profile';
import type { JourneyServices } from './journey-services';
import { sendMenu } from './menu';
import { homeLabelId, situationLabelId, YES_NO_SYNONYMS } from './onboarding-dialog';
import { choicePrompt, markdown, reply, sayTemplate, suggestionChoices, exactAnswerOnly } from './prompts';
import { ERASED_KEY, profileOf, rememberProfile } from './session';
import { userKey } from './turn';

/**
 * Privacy: the notice, "export my data" (a readable summary plus a JSON file in the chat) and
 * "delete my data" (asks once, then deletes everything personal; the notice explains the
 * safeguarding record that stays).
 */
export const PRIVACY_DIALOG = 'privacy';

export interface PrivacyOptions {
  start?: 'options' | 'delete';
}

const IDS = { steps: 'privacy.steps', options: 'privacy.options', confirm: 'privacy.confirm' };

export class PrivacyDialog extends ComponentDialog {
  constructor(private readonly services: JourneyServices) {
    super(PRIVACY_DIALOG);
    this.addDialog(new ChoicePrompt(IDS.options));
    this.addDialog(new ChoicePrompt(IDS.confirm, exactAnswerOnly));
    this.addDialog(new WaterfallDialog(IDS.steps, [this.showOptions.bind(this), this.act.bind(this), this.confirmed.bind(this)]));
    this.initialDialogId = IDS.steps;
  }

  private async showOptions(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if ((step.options as PrivacyOptions | undefined)?.start === 'delete') return step.next({ value: 'delete' });
    const { texts } = this.services;
    await reply(step.context, texts.render('notice.privacy'));
    const choices = [
      { value: 'export', label: texts.render('journeys.privacy.label.export') },
      { value: 'delete', label: texts.render('journeys.privacy.label.delete') },
      { value: 'menu', label: texts.render('journeys.label.back-to-menu') },
    ];
    return step.prompt(
      IDS.options,
      choicePrompt(step.context, texts.render('journeys.privacy.options'), choices, texts.render('journeys.onboarding.choice-retry')),
    );
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = (step.result as FoundChoice).value;
    if (choice === 'export') {
      await sendExport(step.context, this.services);
      return step.endDialog();
    }
    if (choice === 'menu') {
      await sendMenu(step.context, this.services);
      return step.endDialog();
    }
    const { texts } = this.services;
    if (!(await hasAnything(step.context, this.services))) {
      await sayTemplate(step.context, texts, 'journeys.privacy.nothing-to-delete');
      return step.endDialog();
    }
    const choices = suggestionChoices(texts, 'journeys.privacy.delete-confirm', ['yes', 'no'], YES_NO_SYNONYMS);
    return step.prompt(
      IDS.confirm,
      choicePrompt(step.context, texts.render('journeys.privacy.delete-confirm'), choices, texts.render('journeys.onboarding.choice-retry')),
    );
  }

  private async confirmed(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { texts, privacy } = this.services;
    if ((step.result as FoundChoice).value !== 'yes') {
      await sayTemplate(step.context, texts, 'journeys.privacy.delete-cancelled');
      return step.endDialog();
    }
    await privacy.deleteData(userKey(step.context));
    rememberProfile(step.context, null);
    step.context.turnState.set(ERASED_KEY, true);
    await sayTemplate(step.context, texts, 'journeys.privacy.deleted');
    return step.cancelAllDialogs();
  }
}

/** Does an export hold anything at all? */
function holdsData(data: DataExport): boolean {
  return Object.values(data.sections).some((value) => (Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined));
}

async function hasAnything(context: TurnContext, services: JourneyServices): Promise<boolean> {
  return (await profileOf(context, services)) !== null || holdsData(await services.privacy.exportData(userKey(context)));
}

/** Channels that show a data-URL file attachment (Web Chat over Direct Line). */
const FILE_CHANNELS = new Set(['webchat', 'directline', 'emulator']);

function countOf(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}

/** The readable summary of a profile, line by line, from templates. */
export function profileSummary(services: JourneyServices, profile: Profile): string[] {
  const { texts } = services;
  const lines = [texts.render('journeys.privacy.export.consent', { date: profile.consent.givenAt.slice(0, 10) })];
  if (profile.preferredName) lines.push(texts.render('journeys.privacy.export.name', { name: profile.preferredName }));
  if (profile.birth?.kind === 'dob') lines.push(texts.render('journeys.privacy.export.dob', { date: profile.birth.dateOfBirth }));
  if (profile.birth?.kind === 'age') lines.push(texts.render('journeys.privacy.export.age', { age: ageOn(profile.birth, services.tracker.today()) }));
  const council = profile.councilId ? services.councils.get(profile.councilId) : undefined;
  if (council) lines.push(texts.render('journeys.privacy.export.council', { council: council.name }));
  if (profile.situations?.length) {
    const list = SITUATIONS.filter((s) => profile.situations!.includes(s))
      .map((s) => texts.render(situationLabelId(s)))
      .join(', ');
    lines.push(texts.render('journeys.privacy.export.situations', { list }));
  }
  if (profile.home) lines.push(texts.render('journeys.privacy.export.home', { home: texts.render(homeLabelId(profile.home)) }));
  if (profile.adviserId) lines.push(texts.render('journeys.privacy.export.pa-linked'));
  if (profile.remindersPaused) lines.push(texts.render('journeys.privacy.export.reminders-off'));
  return lines;
}

/** "Export my data": a summary they can read, and everything as a JSON file in the chat. */
export async function sendExport(context: TurnContext, services: JourneyServices): Promise<void> {
  const { texts } = services;
  const data = await services.privacy.exportData(userKey(context));
  const profile = await profileOf(context, services);
  const sections = data.sections;
  if (!holdsData(data)) {
    await sayTemplate(context, texts, 'journeys.privacy.export-nothing');
    return;
  }
  const lines = [texts.render('journeys.privacy.export-intro'), ...(profile ? profileSummary(services, profile) : [])];
  lines.push(
    texts.render('journeys.privacy.export.counts', {
      entitlements: countOf(sections.entitlements),
      goals: countOf(sections.goals),
      checkIns: countOf(sections.checkIns),
      people: countOf(sections.people),
    }),
  );
  const json = JSON.stringify(data, null, 2);
  if (!FILE_CHANNELS.has(context.activity.channelId)) {
    // Teams takes a file from a bot only through its file-consent flow, and a text-only channel not
    // at all: there the same JSON goes in the chat as a block of text the young person can copy.
    lines.push(texts.render('journeys.privacy.export.text'));
    await context.sendActivity(markdown(lines.join('\n\n')));
    await context.sendActivity(markdown(`\`\`\`json\n${json}\n\`\`\``));
    return;
  }
  lines.push(texts.render('journeys.privacy.export.file'));
  const summary = markdown(lines.join('\n\n'));
  const file: Attachment = {
    contentType: 'application/json',
    name: `tribe-my-data-${data.exportedAt.slice(0, 10)}.json`,
    contentUrl: `data:application/json;base64,${Buffer.from(json, 'utf8').toString('base64')}`,
  };
  summary.attachments = [file];
  await context.sendActivity(summary);
}
