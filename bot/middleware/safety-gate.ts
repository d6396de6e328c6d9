import { ActivityTypes, MessageFactory, type Middleware, type TurnContext } from 'botbuilder';
import {
  answerTo,
  leavesSafeCheckOpen,
  newConcernKey,
  raiseConcern,
  recordSafeCheck,
  requestOwnerNotice,
  type EscalationDeps,
  type FollowUp,
  type FollowUpKind,
  type FollowUps,
  type TextSource,
} from '../../services/escalations';
import type { Logger } from '../../services/logging';
import { userKeyOf } from '../../services/profiles/profile';
import {
  CLASSIFIER_STOOD_DOWN_REASON,
  needsAmbulance,
  RecentMessages,
  screenWithRecent,
  SENTENCE_READING_FAILED_REASON,
  SENTENCE_READING_STOOD_DOWN_REASON,
  severityRank,
} from '../../services/safety';
import type { ScreenResult } from '../../services/safety/types';
import { withinTime } from '../../services/time-limit';

/**
 * Rule 1, in one place: every inbound message, from every user, passes the safety screen before
 * any dialog runs — before onboarding, during a dialog and after.
 *
 * On a concern (severity ≠ none) the escalation is persisted FIRST (raiseConcern resolves only once
 * it is stored and its notices are in the outbox), THEN the reply goes out in the same turn:
 * - urgent: full crisis signposting (`safety.urgent`): their PA or the duty team is being told now;
 *   are you safe right now? The dialogs do not run in this turn.
 * - high: a supportive reply with fitting signposting (`safety.high.*`); dialogs then run.
 * - medium: a supportive reply and an offer to tell their PA (`safety.medium`); dialogs then run.
 * The screen result goes into turn state under `SAFETY_TURN_STATE` (read it with `safetyOf`), so a
 * dialog that runs after a safety reply can avoid carrying on as if nothing happened.
 *
 * The answer to the question the reply asked ("Yes, I'm safe" / "No, I'm not safe", "Yes, tell my
 * PA" / "No, not now") is handled here in the next turn; it is screened first like any message.
 * Every word comes from moderated templates.
 */
export const SAFETY_TURN_STATE = 'tribe.safety';

export interface SafetyTurnState {
  result: ScreenResult;
  /** The escalation raised or attached to in this turn, if any. */
  escalationId: string | null;
  /** True when the gate already replied in this turn: a dialog should not carry on regardless. */
  replied: boolean;
  /** What the gate handled instead of the dialogs, if anything. */
  handled: 'concern' | 'safe-check' | 'medium-offer' | null;
}

/** The safety screen's verdict for this turn (always set for message activities). */
export function safetyOf(context: TurnContext): SafetyTurnState | undefined {
  return context.turnState.get(SAFETY_TURN_STATE) as SafetyTurnState | undefined;
}

export interface SafetyScreenPort {
  screen(text: string): ScreenResult | Promise<ScreenResult>;
}

export const SAFETY_TEMPLATES = {
  urgent: 'safety.urgent',
  medical: 'safety.urgent.medical',
  harm: 'safety.high.harm',
  homelessness: 'safety.high.homelessness',
  destitution: 'safety.high.destitution',
  medium: 'safety.medium',
  mediumTold: 'safety.medium.told',
  mediumNotTold: 'safety.medium.not-told',
  safe: 'safety.check.safe',
  askAgain: 'safety.check.again',
  notSafe: 'safety.check.not-safe',
} as const;

/** The reply for a concern, and the question it asks (if any). */
export function replyFor(result: ScreenResult): { templateId: string; asks: FollowUpKind | null } {
  // An ambulance first, the helplines after. No "Are you safe?": it is often someone else (a baby,
  // a friend), and "ok" (to "call 999 now") would be taken as "yes, safe".
  if (needsAmbulance(result) && severityRank(result.severity) >= severityRank('high')) {
    return { templateId: SAFETY_TEMPLATES.medical, asks: null };
  }
  if (result.severity === 'urgent') return { templateId: SAFETY_TEMPLATES.urgent, asks: 'safe-check' };
  if (result.severity === 'high') {
    if (result.needsCrisisSignposting) return { templateId: SAFETY_TEMPLATES.urgent, asks: 'safe-check' };
    switch (result.category) {
      case 'homelessness':
        return { templateId: SAFETY_TEMPLATES.homelessness, asks: null };
      case 'destitution':
        return { templateId: SAFETY_TEMPLATES.destitution, asks: null };
      case 'harm_from_others':
      case 'exploitation':
        return { templateId: SAFETY_TEMPLATES.harm, asks: 'safe-check' };
      default:
        // suicide_self_harm, mental_health or anything new: the fullest signposting.
        return { templateId: SAFETY_TEMPLATES.urgent, asks: 'safe-check' };
    }
  }
  if (result.needsCrisisSignposting) return { templateId: SAFETY_TEMPLATES.urgent, asks: 'safe-check' };
  return { templateId: SAFETY_TEMPLATES.medium, asks: 'medium-offer' };
}

/**
 * How long the whole persist step may take before the concern is spooled instead (all attempts
 * and pauses together). MongoDB's driver can wait `serverSelectionTimeoutMS` (10 s) per attempt
 * when the server is gone; a young person in crisis must not wait that for signposting. A write
 * that lands after the budget is harmless: it carries the same idempotency key as the spooled
 * entry, and the spool does not replay an entry whose attempt is still in flight here.
 */
export const PERSIST_BUDGET_MS = 2_500;
/** How long a follow-up question read or write (record keeping only) may hold up the turn. */
export const FOLLOW_UP_BUDGET_MS = 1_000;

class TimeBudgetExceeded extends Error {
  override readonly name = 'TimeBudgetExceeded';
}

const NOT_YET = Symbol('not yet');
const notYet = Promise.resolve(NOT_YET);

/**
 * `work`, or a TimeBudgetExceeded after `ms` (the work itself goes on; its outcome is ignored).
 * Work that has already settled (the embedded store answers reads from memory, so the question
 * looked up on every message usually has) gives its outcome without a timer: a timer could not
 * have fired before it anyway.
 */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  const settled = await Promise.race([work, notYet]);
  if (settled !== NOT_YET) return settled as T;
  return withinTime(work, ms, (limit) => new TimeBudgetExceeded(`no answer in ${Math.round(limit)} ms`));
}

export interface SafetyGateDeps {
  screen: SafetyScreenPort;
  escalations: EscalationDeps;
  followUps: FollowUps;
  text: TextSource;
  logger?: Logger;
  /** Attempts to persist an escalation before replying anyway (default 3). */
  persistAttempts?: number;
  /** Time for all those attempts together before the concern is spooled (default PERSIST_BUDGET_MS). */
  persistBudgetMs?: number;
  /** Time for a follow-up question read or write (default FOLLOW_UP_BUDGET_MS). */
  followUpBudgetMs?: number;
  /** Each person's last few short messages, in memory, to read a split thought whole. */
  recentMessages?: RecentMessages;
}

export class SafetyGate implements Middleware {
  constructor(private readonly deps: SafetyGateDeps) {}

  async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
    const activity = context.activity;
    if (activity.type !== ActivityTypes.Message) return next();

    const text = typeof activity.text === 'string' ? activity.text : '';
    const alone = await this.deps.screen.screen(text);
    const conversationKey = `${activity.channelId}:${activity.conversation.id}`;
    const userKey = userKeyOf(activity.channelId, activity.from.id);

    const pending = text ? await this.pendingQuestion(conversationKey) : null;
    // Only the person asked can answer (or leave open) the gate's question.
    const asked = pending?.userKey === userKey ? pending : null;
    const answer = asked ? answerTo(asked, text) : null;
    const askAgain = asked !== null && answer === null && leavesSafeCheckOpen(asked, text);

    // A thought split over several messages is read whole (recent-messages.ts).
    const joinedFailed = (error: unknown) => this.deps.logger?.warn({ err: error }, 'safety: screening a message with the ones before it failed; it stands alone');
    const { result, excerpt } = this.deps.recentMessages
      ? await screenWithRecent(
          (joined) => this.deps.screen.screen(joined),
          this.deps.recentMessages,
          { speaker: { conversation: conversationKey, person: userKey }, text, alone, answersQuestion: answer !== null || askAgain },
          joinedFailed,
        )
      : { result: alone, excerpt: text };
    // How often the classifier overrules a rule is worth watching (rule ids only, never text).
    if (result.reasons.includes(SENTENCE_READING_STOOD_DOWN_REASON)) {
      // the screen's most sensitive decision: worth an operator's eye (rule ids only, never text)
      this.deps.logger?.warn({ reasons: result.reasons }, 'safety: an urgent rules result was stood down to a concern (both learned readings found it benign)');
    } else if (result.reasons.includes(CLASSIFIER_STOOD_DOWN_REASON)) {
      this.deps.logger?.info({ reasons: result.reasons }, 'safety: a rules concern was stood down by the classifier');
    }
    if (result.reasons.includes(SENTENCE_READING_FAILED_REASON)) this.deps.logger?.warn({ reasons: result.reasons }, 'safety: the sentence reading failed; the rules and classifier result stands');
    const state: SafetyTurnState = { result, escalationId: null, replied: false, handled: null };
    context.turnState.set(SAFETY_TURN_STATE, state);

    if (result.severity !== 'none') {
      if (pending?.kind === 'safe-check' && answer === 'no') {
        // "No, I'm not safe" is itself flagged: answer it as such (re-alert, call 999 now).
        await this.answer(context, state, pending, answer, { conversationKey, userKey, text });
        return;
      }
      // The escalation keeps the words the concern was read from (with a split thought, all of it).
      await this.concern(context, state, { conversationKey, userKey, text: excerpt }, pending);
      if (result.severity === 'urgent') return; // nothing else in a crisis turn
      return next();
    }

    if (pending && answer) {
      await this.answer(context, state, pending, answer, { conversationKey, userKey, text });
      return;
    }
    if (askAgain) {
      // "ok" may mean "ok, I'll call" and "please" is a plea: ask again rather than guess; it stays open.
      state.handled = 'safe-check';
      state.replied = true;
      await this.send(context, SAFETY_TEMPLATES.askAgain);
      return;
    }
    return next();
  }

  private async concern(
    context: TurnContext,
    state: SafetyTurnState,
    turn: { conversationKey: string; userKey: string; text: string },
    pending: FollowUp | null,
  ): Promise<void> {
    const { result } = state;
    const severity = result.severity as 'urgent' | 'high' | 'medium';
    const escalationId = await this.persist(turn.userKey, turn.conversationKey, severity, result.category, turn.text);
    state.escalationId = escalationId;
    state.handled = 'concern';

    const reply = replyFor(result);
    const labels = await this.send(context, reply.templateId);
    state.replied = true;
    try {
      if (pending?.kind === 'safe-check' && reply.asks !== 'safe-check') {
        // "Are you safe right now?" still stands: a lesser concern does not replace or clear it.
      } else if (escalationId && reply.asks && labels.length >= 2) {
        await within(this.deps.followUps.ask(turn.conversationKey, { kind: reply.asks, escalationId, userKey: turn.userKey, labels: [labels[0]!, labels[1]!] }), this.followUpBudgetMs);
      } else if (!escalationId) {
        // Spooled: the store did not answer in time, so this turn does not wait on it again
        // (with `expectReplies` the reply leaves only when the turn ends).
        void this.deps.followUps.clear(turn.conversationKey).catch((error: unknown) => {
          this.deps.logger?.error({ err: error }, 'could not clear the safety follow-up question');
        });
      } else {
        await within(this.deps.followUps.clear(turn.conversationKey), this.followUpBudgetMs);
      }
    } catch (error) {
      // The reply is out and the escalation stored; only the follow-up question is lost.
      this.deps.logger?.error({ err: error }, 'could not store the safety follow-up question');
    }
  }

  /** The question awaiting an answer here; a store failure must not stop a safety reply. */
  private async pendingQuestion(conversationKey: string): Promise<FollowUp | null> {
    try {
      return await within(this.deps.followUps.pending(conversationKey), this.followUpBudgetMs);
    } catch (error) {
      this.deps.logger?.error({ err: error }, 'could not read the safety follow-up question');
      return null;
    }
  }

  private async answer(
    context: TurnContext,
    state: SafetyTurnState,
    pending: FollowUp,
    answer: 'yes' | 'no',
    turn: { conversationKey: string; userKey: string; text: string },
  ): Promise<void> {
    const deps = this.deps.escalations;
    // A store failure here must not stop the reply (least of all "call 999 now"): the steps that
    // only keep a record are best effort and logged; the re-alert is retried in `persist`.
    await this.bestEffort('could not clear the safety follow-up question', () => this.deps.followUps.clear(turn.conversationKey));
    state.handled = pending.kind;
    state.escalationId = pending.escalationId;

    if (pending.kind === 'safe-check') {
      if (answer === 'yes') {
        await this.bestEffort('could not record the safe-check answer', () => recordSafeCheck(deps, pending.escalationId, turn.userKey, 'safe'));
        await this.send(context, SAFETY_TEMPLATES.safe);
      } else {
        // "I'm not safe": urgent now, and the owner is told again even if it was urgent already.
        const escalation = await within(deps.escalations.get(pending.escalationId), this.followUpBudgetMs).catch((error: unknown) => {
          this.deps.logger?.error({ err: error }, 'could not read the escalation being answered');
          return null;
        });
        const category = state.result.severity === 'urgent' ? state.result.category : (escalation?.category ?? 'suicide_self_harm');
        state.escalationId = await this.persist(turn.userKey, turn.conversationKey, 'urgent', category, turn.text, true);
        await this.bestEffort('could not record the safe-check answer', () => recordSafeCheck(deps, pending.escalationId, turn.userKey, 'not-safe'));
        await this.send(context, SAFETY_TEMPLATES.notSafe);
      }
    } else if (answer === 'yes') {
      await requestOwnerNotice(deps, pending.escalationId, turn.userKey);
      await this.send(context, SAFETY_TEMPLATES.mediumTold);
    } else {
      await this.send(context, SAFETY_TEMPLATES.mediumNotTold);
    }
    state.replied = true;
  }

  /** Runs a step that only keeps a record; a failure is logged and the turn goes on. */
  private async bestEffort(what: string, step: () => Promise<unknown>): Promise<void> {
    try {
      await within(step(), this.followUpBudgetMs);
    } catch (error) {
      this.deps.logger?.error({ err: error }, what);
    }
  }

  private get followUpBudgetMs(): number {
    return this.deps.followUpBudgetMs ?? FOLLOW_UP_BUDGET_MS;
  }

  /**
   * Persists the concern, retrying briefly within `PERSIST_BUDGET_MS` in all, then spools it.
   * Never blocks the safety reply for longer than that: on failure it logs loudly.
   */
  private async persist(
    userKey: string,
    conversationKey: string,
    severity: 'urgent' | 'high' | 'medium',
    category: string,
    messageText: string,
    forceNotice = false,
  ): Promise<string | null> {
    const attempts = this.deps.persistAttempts ?? 3;
    const budgetMs = this.deps.persistBudgetMs ?? PERSIST_BUDGET_MS;
    const started = performance.now();
    const left = () => budgetMs - (performance.now() - started);
    // One key for every attempt and for the spool: an attempt whose answer was lost is not raised twice.
    const idempotencyKey = newConcernKey();
    const at = this.deps.escalations.clock.now();
    // An attempt abandoned at the end of the budget, still waiting on the store.
    let inFlight: Promise<unknown> | undefined;
    for (let attempt = 1; attempt <= attempts && left() > 0; attempt += 1) {
      const work = raiseConcern(this.deps.escalations, { userKey, conversationKey, severity, category, messageText, forceNotice, idempotencyKey });
      try {
        const raised = await within(work, left());
        return raised.escalation._id;
      } catch (error) {
        if (error instanceof TimeBudgetExceeded) {
          inFlight = work;
          this.deps.logger?.error({ attempt, budgetMs, severity, category }, 'could not persist an escalation in time: it is spooled');
          break;
        }
        this.deps.logger?.error({ err: error, attempt, severity, category }, 'could not persist an escalation');
        const pause = Math.min(100 * attempt, left());
        if (attempt < attempts && pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
    // The store is down or too slow: the local spool keeps it until the store answers
    // (services/escalations/spool.ts).
    try {
      if (this.deps.escalations.spool) {
        this.deps.escalations.spool.append({ key: idempotencyKey, at, userKey, conversationKey, severity, category, messageText, forceNotice }, { inFlight });
        return null;
      }
    } catch (error) {
      this.deps.logger?.fatal({ err: error, severity, category }, 'could not spool an escalation locally');
    }
    this.deps.logger?.fatal({ severity, category }, 'ESCALATION NOT PERSISTED: the young person still gets the safety reply');
    return null;
  }

  /** Sends a template (Markdown) with its suggestions as buttons; returns the labels shown. */
  private async send(context: TurnContext, templateId: string): Promise<readonly string[]> {
    const body = this.deps.text.render(templateId);
    const labels = this.deps.text.scripted(templateId).suggestions;
    const reply = labels.length > 0 ? MessageFactory.suggestedActions([...labels], body) : MessageFactory.text(body);
    reply.textFormat = 'markdown';
    await context.sendActivity(reply);
    return labels;
  }
}
