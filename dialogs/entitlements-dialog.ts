import { randomBytes } from 'node:crypto';
import type { TurnContext } from 'botbuilder';
import {
  type DialogTurnResult,
  type FoundChoice,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { JourneyDialog } from './journey-dialog';
import type { Entitlement } from '../services/content/schemas';
import { type ChecklistItem, progressOf, type Status, STATUSES } from '../services/entitlements/tracker';
import { actionsInRow, adaptiveCard, buttonRows, type CardElement, cardActivity, collapsible, numberedList, submit, textBlock, toggleAction } from './cards';
import { readableDate } from './dates';
import type { JourneyServices, TextId } from './journey-services';
import { choicePrompt, markdown, reply, sayTemplate, TribeChoicePrompt } from './prompts';
import type { GlobalActionHandler } from './root-dialog';
import { profileOf } from './session';
import { conversationKey, supportsCards, userKey } from './turn';

/**
 * My entitlements: a checklist personalised from the catalogue's eligibility data (by age,
 * situation and home), each item with what it is, how much, until what age, how to claim and a
 * status the young person sets. On Teams and Web Chat a status is three taps from the menu
 * (My entitlements → Update → the status); in a text-only chat it is three answers.
 */
export const ENTITLEMENTS_DIALOG = 'entitlements';

const IDS = { steps: 'entitlements.steps', pick: 'entitlements.pick#pick', status: 'entitlements.status' };
const STATUS_TOKEN = /^status:(entitlement\.[a-z0-9.-]+):([a-z-]+)$/;
const MORE_TOKEN = /^ent:(entitlement\.[a-z0-9.-]+)$/;
/** A checklist card's reference, carried in its status buttons' data as `tribeCard`. */
const CARD_REF = /^[0-9a-f]{12}$/;
/** Statuses that are settled: on a card these sit behind "Show done and not for me". */
const SETTLED: ReadonlySet<Status> = new Set<Status>(['getting-it', 'not-for-me']);
/** Ids of the collapsible part of a checklist card (unique within the card). */
const CARD_IDS = { settled: 'tribe-settled', show: 'tribe-show-settled', hide: 'tribe-hide-settled' };

function pairs<T>(items: readonly T[]): T[][] {
  const rows: T[][] = [];
  for (let i = 0; i < items.length; i += 2) rows.push(items.slice(i, i + 2));
  return rows;
}

/** To do first (not started, asked, applied), then what is settled (getting it, not for me); each in checklist order. */
export function groupForChecklist(items: readonly ChecklistItem[]): { open: ChecklistItem[]; settled: ChecklistItem[] } {
  return { open: items.filter((item) => !SETTLED.has(item.status)), settled: items.filter((item) => SETTLED.has(item.status)) };
}

function cardRefOf(context: TurnContext): string | undefined {
  const value = context.activity.value as { tribeCard?: unknown } | undefined;
  const ref = value && typeof value === 'object' ? value.tribeCard : undefined;
  return typeof ref === 'string' && CARD_REF.test(ref) ? ref : undefined;
}

/** "How much: up to £1,200 a year", from the entitlement's amount data. */
export function amountText(services: JourneyServices, amount: NonNullable<Entitlement['amount']>): string {
  const suffix = amount.per === 'year' ? '-year' : '';
  const id = `journeys.entitlements.amount.${amount.basis}${suffix}` as TextId;
  return (services.texts.render as (id: string, params: Record<string, number>) => string)(id, { amount: amount.gbp });
}

export function statusLabelId(status: Status): TextId {
  return `journeys.entitlements.status.${status}` as TextId;
}

export class EntitlementsDialog extends JourneyDialog implements GlobalActionHandler {
  constructor(private readonly services: JourneyServices) {
    super(ENTITLEMENTS_DIALOG);
    this.addDialog(
      new TextPrompt(IDS.pick, async (prompt) => {
        const items = (prompt.options as { validations?: { count: number } }).validations?.count ?? 0;
        const n = Number((prompt.recognized.value ?? '').trim());
        if (Number.isInteger(n) && n >= 1 && n <= items) return true;
        await reply(prompt.context, this.services.texts.render('journeys.entitlements.pick-retry'));
        return false;
      }),
    );
    this.addDialog(new TribeChoicePrompt(IDS.status));
    this.addDialog(new WaterfallDialog(IDS.steps, [this.showChecklist.bind(this), this.showItem.bind(this), this.saveStatus.bind(this)]));
    this.initialDialogId = IDS.steps;
  }

  private t(id: TextId, params?: Record<string, string | number>): string {
    return (this.services.texts.render as (id: string, params?: Record<string, string | number>) => string)(id, params);
  }

  /** Status buttons and "more" buttons work whenever they are pressed: cards stay in the chat. */
  async handleGlobalAction(context: TurnContext, text: string): Promise<boolean> {
    const status = STATUS_TOKEN.exec(text);
    if (status) {
      await this.applyStatus(context, status[1]!, status[2] as Status);
      return true;
    }
    const more = MORE_TOKEN.exec(text);
    if (more) {
      const items = await this.items(context);
      const item = items.find((candidate) => candidate.entitlement.id === more[1]);
      const entitlement = item?.entitlement ?? this.services.tracker.find(more[1]!);
      if (!entitlement) return false;
      await context.sendActivity(this.detail(context, entitlement, item, (await profileOf(context, this.services)) !== null));
      return true;
    }
    return false;
  }

  private async items(context: TurnContext): Promise<ChecklistItem[]> {
    return this.services.tracker.checklist(userKey(context), await profileOf(context, this.services));
  }

  private async applyStatus(context: TurnContext, entitlementId: string, status: Status): Promise<void> {
    const entitlement = this.services.tracker.find(entitlementId);
    if (!entitlement || !STATUSES.includes(status)) return;
    if (!(await profileOf(context, this.services))) {
      await sayTemplate(context, this.services.texts, 'journeys.global.needs-setup');
      return;
    }
    await this.services.tracker.setStatus(userKey(context), entitlementId, status);
    const items = await this.items(context);
    await this.updateChecklistCard(context, items);
    await reply(
      context,
      [this.t('journeys.entitlements.status-saved', { title: entitlement.title, status: this.t(statusLabelId(status)) }), this.progressLine(items)].join('\n\n'),
    );
  }

  private async showChecklist(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const profile = await profileOf(context, this.services);
    let items = await this.items(context);
    if (items.length === 0) {
      await sayTemplate(context, this.services.texts, 'journeys.entitlements.none');
      return step.endDialog();
    }
    if (supportsCards(context)) {
      const ref = randomBytes(6).toString('hex');
      const sentAt = this.services.clock.now();
      const sent = await context.sendActivity(this.checklistCard(items, profile !== null, ref));
      if (sent?.id && profile) {
        // Ids and a time only. Remembered in the store, so the card can still be updated after a restart.
        // The card is already sent: if this fails, a later tap falls back to the "Saved" reply.
        await this.services.tracker.cards
          .remember({ ref, userKey: userKey(context), conversation: conversationKey(context), activityId: sent.id, sentAt })
          .catch(() => undefined);
      }
      return step.endDialog();
    }
    const heading = profile ? this.t('journeys.entitlements.intro-text', { count: items.length }) : this.t('journeys.entitlements.general-intro');
    const { open, settled } = groupForChecklist(items);
    items = [...open, ...settled];
    const lines = items.map((item) => (profile ? `${item.entitlement.title}: ${this.t(statusLabelId(item.status))}` : item.entitlement.title));
    const progress = profile ? `\n\n${this.progressLine(items)}` : '';
    await context.sendActivity(markdown(`${heading}\n\n${numberedList(lines)}${progress}`));
    (step.values as Record<string, unknown>).ids = items.map((item) => item.entitlement.id);
    return step.prompt(IDS.pick, { prompt: this.t('journeys.entitlements.ask-pick'), validations: { count: items.length } });
  }

  private async showItem(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const context = step.context;
    const ids = (step.values as Record<string, unknown>).ids as string[];
    const id = ids[Number(String(step.result).trim()) - 1]!;
    const items = await this.items(context);
    const item = items.find((candidate) => candidate.entitlement.id === id);
    const entitlement = item?.entitlement ?? this.services.tracker.find(id);
    if (!entitlement) return step.endDialog();
    const consented = (await profileOf(context, this.services)) !== null;
    await context.sendActivity(this.detail(context, entitlement, item, consented, false));
    if (!consented) return step.endDialog();
    (step.values as Record<string, unknown>).id = id;
    const choices = [
      ...STATUSES.map((status) => ({ value: status, label: this.t(statusLabelId(status)) })),
      { value: 'menu', label: this.t('journeys.label.back-to-menu') },
    ];
    return step.prompt(IDS.status, choicePrompt(context, this.t('journeys.entitlements.set-status'), choices, this.t('journeys.onboarding.choice-retry')));
  }

  private async saveStatus(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const choice = (step.result as FoundChoice).value;
    if (choice !== 'menu') await this.applyStatus(step.context, (step.values as Record<string, unknown>).id as string, choice as Status);
    return step.endDialog();
  }

  /** Progress as something to build on: applied for and getting it both count, of those not set aside. */
  private progressLine(items: readonly ChecklistItem[]): string {
    const progress = progressOf(items);
    const started = progress.counts.applied + progress.counts['getting-it'];
    if (started === 0) return this.t('journeys.entitlements.progress-start');
    return this.t('journeys.entitlements.progress', { started, total: progress.total });
  }

  /** What it is, how much, until what age, how to claim, and (with consent) where they are with it. */
  private detailLines(entitlement: Entitlement, item: ChecklistItem | undefined): string[] {
    const lines: string[] = [];
    if (entitlement.amount) lines.push(amountText(this.services, entitlement.amount));
    if (entitlement.eligibility.maxAge !== undefined) lines.push(this.t('journeys.entitlements.until', { age: entitlement.eligibility.maxAge + 1 }));
    lines.push(this.t('journeys.entitlements.how', { how: entitlement.howToClaim }));
    if (entitlement.eligibility.councilLocal) lines.push(this.t('journeys.entitlements.local'));
    if (item?.fit === 'maybe') lines.push(this.t('journeys.entitlements.maybe'));
    if (item?.remindOn && item.endsOn && item.remindOn <= this.services.tracker.today()) {
      lines.push(this.t('journeys.entitlements.deadline', { date: readableDate(item.endsOn) }));
    }
    return lines;
  }

  private detail(context: TurnContext, entitlement: Entitlement, item: ChecklistItem | undefined, consented: boolean, withButtons = true) {
    const facts = this.detailLines(entitlement, item);
    const status = item && consented ? this.t('journeys.entitlements.status-now', { status: this.t(statusLabelId(item.status)) }) : undefined;
    const text = [`**${entitlement.title}**`, entitlement.body, ...facts, ...(status ? [status] : [])].join('\n\n');
    if (!supportsCards(context) || !withButtons) return markdown(text);
    const body: CardElement[] = [
      textBlock(entitlement.title, { weight: 'Bolder', size: 'Medium' }),
      textBlock(entitlement.body),
      ...facts.map((fact) => textBlock(fact, { spacing: 'Small' })),
      ...(status ? [textBlock(status, { weight: 'Bolder' })] : []),
    ];
    if (consented) body.push(...buttonRows(STATUSES.map((s) => ({ title: this.t(statusLabelId(s)), token: `status:${entitlement.id}:${s}` })), 3));
    return cardActivity(adaptiveCard(body, text));
  }

  /**
   * After a status tap on a checklist card, shows the new status on that card (Web Chat, Direct
   * Line and Teams can update a sent activity). The card is found by the reference in the button's
   * data (remembered in the store when it was sent, so a restart or another instance still finds
   * it), or by the submit's \`replyToId\` where the channel sets one. Where updating is not possible
   * (an unknown card, a channel that refuses the update), nothing changes: the reply says it.
   */
  private async updateChecklistCard(context: TurnContext, items: readonly ChecklistItem[]): Promise<void> {
    const ref = cardRefOf(context);
    if (!ref || !supportsCards(context)) return;
    const sent = await this.services.tracker.cards.find(ref, conversationKey(context));
    const activityId = sent?.activityId ?? context.activity.replyToId;
    if (!activityId) return;
    try {
      await context.updateActivity({ ...this.checklistCard(items, true, ref), id: activityId, ...(sent ? { timestamp: new Date(sent.sentAt) } : {}) });
    } catch {
      // Not supported here, or the card is too old to change: the saved message is enough.
    }
  }

  /**
   * The checklist as one card, short enough for a phone: the heading, progress and counts, then
   * what is still to do (each with its status, "Update" and "More"), and what is settled (getting
   * it, not for me) folded behind "Show done and not for me".
   */
  private checklistCard(items: readonly ChecklistItem[], consented: boolean, ref?: string) {
    const heading = consented ? this.t('journeys.entitlements.intro', { count: items.length }) : this.t('journeys.entitlements.general-intro');
    const body: CardElement[] = [textBlock(heading, { weight: 'Bolder' })];
    const { open, settled } = groupForChecklist(items);
    if (consented) {
      body.push(textBlock(this.progressLine(items), { isSubtle: true }));
      const started = open.filter((item) => item.status !== 'not-started').length;
      body.push(
        textBlock(this.t('journeys.entitlements.summary', { todo: open.length - started, started, done: settled.length }), { isSubtle: true, size: 'Small', spacing: 'Small' }),
      );
    }
    body.push(...open.map((item) => this.itemBlock(item, consented, ref)));
    if (settled.length) {
      body.push(
        ...collapsible({
          ids: CARD_IDS,
          showTitle: this.t('journeys.entitlements.label.show-done', { count: settled.length }),
          hideTitle: this.t('journeys.entitlements.label.hide-done'),
          items: settled.map((item) => this.itemBlock(item, consented, ref)),
        }),
      );
    }
    const fallback = [...open, ...settled].map((item) => (consented ? `${item.entitlement.title}: ${this.t(statusLabelId(item.status))}` : item.entitlement.title));
    return cardActivity(adaptiveCard(body, `${heading}\n\n${numberedList(fallback)}`));
  }

  /**
   * One entitlement on the card: its title, its status, then "Update" and "More" side by side.
   * "Update" opens the statuses under it, in the card (no message is sent); a status is the next tap.
   */
  private itemBlock(item: ChecklistItem, consented: boolean, ref?: string): CardElement {
    const { entitlement } = item;
    const statusesId = `tribe-statuses-${entitlement.id}`;
    const actions: CardElement[] = [];
    if (consented) actions.push(toggleAction(this.t('journeys.entitlements.label.update'), [statusesId]));
    actions.push({
      type: 'Action.Submit',
      title: this.t('journeys.entitlements.label.more'),
      data: { tribeAction: `ent:${entitlement.id}` },
    });
    const statuses: CardElement[] = consented
      ? [
          {
            type: 'Container',
            id: statusesId,
            isVisible: false,
            items: [
              textBlock(this.t('journeys.entitlements.set-status'), { weight: 'Bolder' }),
              // Two to a row, so the five statuses take three rows on a phone, not five.
              ...pairs(STATUSES).map((row) =>
                actionsInRow(row.map((s) => submit({ title: this.t(statusLabelId(s)), token: `status:${entitlement.id}:${s}`, ...(ref ? { data: { tribeCard: ref } } : {}) }))),
              ),
            ],
          },
        ]
      : [];
    return {
      type: 'Container',
      separator: true,
      items: [
        textBlock(entitlement.title, { weight: 'Bolder' }),
        ...(consented ? [textBlock(this.t(statusLabelId(item.status)), { isSubtle: true, spacing: 'Small' })] : []),
        actionsInRow(actions),
        ...statuses,
      ],
    };
  }
}
