import { type Attachment, type FileConsentCard, type FileInfoCard, type InvokeResponse, type TurnContext } from 'botbuilder';
import { type DialogTurnResult, type FoundChoice, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { JourneyDialog } from './journey-dialog';
import { z } from 'zod';
import { HANDOFF_TOKEN_PATTERN } from '../services/privacy/export-handoffs';
import type { DataExport } from '../services/privacy/privacy-service';
import { ageOn } from '../services/profiles/age';
import { SITUATIONS, type Profile } from '../services/profiles/profile';
import type { JourneyServices } from './journey-services';
import { sendMenu } from './menu';
import { homeLabelId, situationLabelId, YES_NO_SYNONYMS } from './onboarding-dialog';
import { choicePrompt, markdown, reply, sayTemplate, suggestionChoices, exactAnswerOnly, TribeChoicePrompt } from './prompts';
import { ERASED_KEY, profileOf, rememberProfile } from './session';
import { userKey } from './turn';

/**
 * Privacy: the notice, "export my data" (a readable summary plus a JSON file: attached in Web Chat,
 * through a file-consent card in Teams, a one-time download link elsewhere) and
 * "delete my data" (asks once, then deletes everything personal; the notice explains the
 * safeguarding record that stays).
 */
export const PRIVACY_DIALOG = 'privacy';

export interface PrivacyOptions {
  start?: 'options' | 'delete';
}

const IDS = { steps: 'privacy.steps', options: 'privacy.options', confirm: 'privacy.confirm' };

export class PrivacyDialog extends JourneyDialog {
  constructor(private readonly services: JourneyServices) {
    super(PRIVACY_DIALOG);
    this.addDialog(new TribeChoicePrompt(IDS.options));
    this.addDialog(new TribeChoicePrompt(IDS.confirm, exactAnswerOnly));
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
      // Nothing kept; what is held for minutes (this very request among it) goes anyway.
      await this.services.privacy.deleteData(userKey(step.context));
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

async function hasAnything(context: TurnContext, services: JourneyServices): Promise<boolean> {
  return (await profileOf(context, services)) !== null || services.privacy.keepsData(await services.privacy.exportData(userKey(context)));
}

/** Channels that show a data-URL file attachment (Web Chat over Direct Line). */
const FILE_CHANNELS = new Set(['webchat', 'directline', 'emulator']);

/** The invoke Teams sends when the young person answers a file-consent card. */
export const FILE_CONSENT_INVOKE = 'fileConsent/invoke';
const FILE_CONSENT_CARD = 'application/vnd.microsoft.teams.card.file.consent';
const FILE_INFO_CARD = 'application/vnd.microsoft.teams.card.file.info';

/** How an export leaves the chat where the channel cannot take a data-URL file. */
export interface ExportDelivery {
  /** The one-time download link for a token; null where there is no public address to give. */
  downloadUrl: ((token: string) => string) | null;
  /** Puts the file into a Teams upload session; rejects when it is not taken. */
  upload(uploadUrl: string, bytes: Buffer): Promise<void>;
}

const UPLOAD_TIMEOUT_MS = 10_000;

/**
 * The Teams upload session, as Microsoft documents it for bots in personal chat: one PUT of the
 * whole file to `uploadUrl` with `Content-Range: bytes 0-(n-1)/n`. Only https (or a loopback
 * address, for tests) is accepted, and redirects are refused.
 */
export async function putFileUpload(uploadUrl: string, bytes: Buffer): Promise<void> {
  const url = new URL(uploadUrl);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) throw new Error('the upload address must use https');
  const response = await fetch(url, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', 'content-range': `bytes 0-${bytes.length - 1}/${bytes.length}` },
    body: new Uint8Array(bytes),
    redirect: 'error',
    signal: AbortSignal.timeout(UPLOAD_TIMEOUT_MS),
  });
  await response.body?.cancel();
  if (!response.ok) throw new Error(`the upload session answered ${response.status}`);
}

/** No download links, and uploads by `putFileUpload`: what a journey gets unless told otherwise. */
export const defaultExportDelivery: ExportDelivery = { downloadUrl: null, upload: putFileUpload };

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

function fileNameOf(data: DataExport): string {
  return `tribe-my-data-${data.exportedAt.slice(0, 10)}.json`;
}

function bytesOf(data: DataExport): Buffer {
  return Buffer.from(JSON.stringify(data, null, 2), 'utf8');
}

/** A Teams personal chat (file-consent cards work only there); a missing type is taken as one. */
function teamsPersonalChat(context: TurnContext): boolean {
  const type = context.activity.conversation?.conversationType;
  return context.activity.channelId === 'msteams' && (type === undefined || type === 'personal');
}

/**
 * "Export my data": a summary they can read, and everything as a JSON file.
 *
 * - Web Chat: the file is attached to the summary.
 * - Teams personal chat: a file-consent card; `answerFileConsent` uploads the file when they allow it.
 * - Anywhere else (text-only channels): a one-time download link, or where there is no public
 *   address, how else to get a copy. The data never goes in the chat as text.
 */
export async function sendExport(context: TurnContext, services: JourneyServices): Promise<void> {
  const { texts } = services;
  const key = userKey(context);
  const data = await services.privacy.exportData(key);
  const profile = await profileOf(context, services);
  const sections = data.sections;
  if (!services.privacy.keepsData(data)) {
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
  if (FILE_CHANNELS.has(context.activity.channelId)) {
    lines.push(texts.render('journeys.privacy.export.file'));
    const summary = markdown(lines.join('\n\n'));
    const file: Attachment = {
      contentType: 'application/json',
      name: fileNameOf(data),
      contentUrl: `data:application/json;base64,${bytesOf(data).toString('base64')}`,
    };
    summary.attachments = [file];
    await context.sendActivity(summary);
    return;
  }
  if (teamsPersonalChat(context)) {
    // The card carries only an opaque, single-use id; the file is made when they allow it.
    const { token } = await services.privacy.offerExport(key, 'teams-consent');
    lines.push(texts.render('journeys.privacy.export.teams'));
    await context.sendActivity(markdown(lines.join('\n\n')));
    const card: FileConsentCard = {
      description: texts.render('journeys.privacy.export.consent-card'),
      sizeInBytes: bytesOf(data).length,
      acceptContext: { exportId: token },
      declineContext: { exportId: token },
    };
    await context.sendActivity({ type: 'message', attachments: [{ contentType: FILE_CONSENT_CARD, name: fileNameOf(data), content: card }] });
    return;
  }
  lines.push(await downloadLinkOrHelp(services, key));
  await context.sendActivity(markdown(lines.join('\n\n')));
}

/** A one-time download link to their export, or (with no public address) how else to get one. */
async function downloadLinkOrHelp(services: JourneyServices, key: string): Promise<string> {
  const { texts, privacy, exportDelivery } = services;
  if (!exportDelivery.downloadUrl) return texts.render('journeys.privacy.export.no-link');
  const { token } = await privacy.offerExport(key, 'download');
  return texts.render('journeys.privacy.export.link', { url: exportDelivery.downloadUrl(token), minutes: privacy.handoffMinutes });
}

const uploadInfoSchema = z.object({
  name: z.string().min(1).max(255),
  uploadUrl: z.url(),
  contentUrl: z.url(),
  uniqueId: z.string().min(1).max(200),
  fileType: z.string().min(1).max(20),
});
const consentContextSchema = z.object({ exportId: z.string().regex(HANDOFF_TOKEN_PATTERN) });
/** The value of a `fileConsent/invoke` (botframework-schema's `FileConsentCardResponse`), checked. */
const fileConsentSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('accept'), context: consentContextSchema, uploadInfo: uploadInfoSchema }),
  z.object({ action: z.literal('decline'), context: consentContextSchema }),
]);

/**
 * Teams' answer to the file-consent card. Allow: the export is made now, put into the upload
 * session, and shown as a file card; if the upload fails, a download link is offered instead.
 * Decline: the offer is thrown away. A card that was used, has expired or is someone else's
 * sends nothing. The invoke is answered 200 once handled (400 when its value is malformed).
 */
export async function answerFileConsent(context: TurnContext, services: JourneyServices): Promise<InvokeResponse> {
  const parsed = fileConsentSchema.safeParse(context.activity.value);
  if (!parsed.success) return { status: 400 };
  const { texts, privacy } = services;
  const key = userKey(context);
  const consent = parsed.data;
  if (consent.action === 'decline') {
    await privacy.declineExport(consent.context.exportId, key);
    await sayTemplate(context, texts, 'journeys.privacy.export.declined');
    return { status: 200 };
  }
  const data = await privacy.redeemExport(consent.context.exportId, 'teams-consent', key);
  if (!data || !services.privacy.keepsData(data)) {
    await sayTemplate(context, texts, 'journeys.privacy.export.offer-gone');
    return { status: 200 };
  }
  const info = consent.uploadInfo;
  try {
    await services.exportDelivery.upload(info.uploadUrl, bytesOf(data));
  } catch {
    const help = await downloadLinkOrHelp(services, key);
    await context.sendActivity(markdown(`${texts.render('journeys.privacy.export.upload-failed')}\n\n${help}`));
    return { status: 200 };
  }
  const saved = markdown(texts.render('journeys.privacy.export.saved'));
  const card: FileInfoCard = { uniqueId: info.uniqueId, fileType: info.fileType };
  saved.attachments = [{ contentType: FILE_INFO_CARD, contentUrl: info.contentUrl, name: info.name, content: card }];
  await context.sendActivity(saved);
  return { status: 200 };
}
