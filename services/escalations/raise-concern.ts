import { z } from 'zod';
import type { EscalationDeps } from './deps';
import {
  escalationCategorySchema,
  escalationSeveritySchema,
  excerptOf,
  newEscalationId,
  severityRank,
  type EscalationDoc,
  type EscalationSeverity,
  type Owner,
} from './escalation';
import { currentRound, notifyEscalation } from './notify';

const raiseSchema = z.object({
  userKey: z.string().min(1).max(600),
  conversationKey: z.string().min(1).max(600),
  severity: escalationSeveritySchema,
  category: escalationCategorySchema,
  messageText: z.string(),
  /** Tell the owner again even if the severity did not rise (e.g. "I'm not safe" after a crisis). */
  forceNotice: z.boolean().optional(),
  /**
   * Same key, same concern: a retry (or a replay from the local spool) that finds the key already
   * on an escalation changes nothing, except that a `forceNotice` concern (re-)enqueues its notice
   * in the round `repeat-<key>` (an outbox no-op if it went in the first time). Kept on the
   * escalation as `raiseKeys`.
   */
  idempotencyKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'letters, digits, _ or -').optional(),
  /** When the concern was raised, if earlier than now (a replay from the spool). */
  raisedAt: z.iso.datetime().optional(),
  /** Where it came from, for the audit trail. */
  source: z.enum(['turn', 'spool']).optional(),
});

export type RaiseConcernInput = z.input<typeof raiseSchema>;

export interface RaiseConcernResult {
  escalation: EscalationDoc;
  /** False when the concern attached to an open escalation of the same conversation. */
  created: boolean;
  /** True when an attached concern raised the severity. */
  severityRaised: boolean;
  owner: Owner;
}

function ackDueAt(deps: EscalationDeps, severity: EscalationSeverity, fromMs: number): string | null {
  const minutes = severity === 'urgent' ? deps.settings.urgentAckMinutes : severity === 'high' ? deps.settings.highAckMinutes : null;
  return minutes === null ? null : new Date(fromMs + minutes * 60_000).toISOString();
}

/** The owner: the care leaver's linked PA when that adviser exists, else the duty team. Never throws. */
async function resolveOwner(deps: EscalationDeps, userKey: string): Promise<Owner> {
  try {
    const adviserId = await deps.resolveOwner(userKey);
    if (adviserId && deps.advisers.get(adviserId)) return { kind: 'adviser', adviserId };
    if (adviserId) deps.logger?.warn({ adviserId }, 'linked adviser is not configured: the duty team owns this escalation');
  } catch (error) {
    deps.logger?.error({ err: error }, 'could not resolve the owner: the duty team owns this escalation');
  }
  return { kind: 'duty' };
}

/**
 * A concern from the safety screen. Resolves only once the escalation is persisted (and, for high
 * and urgent, its notices are in the outbox), so the caller may then reply to the young person.
 *
 * 1. A repeat from the same conversation within the window attaches to the open escalation:
 *    severity may rise (then the owner is told again and the SLA restarts), it never falls. A
 *    different category at the same severity is a new worry and gets its own escalation.
 * 2. Otherwise a new escalation, owned by the linked PA or else the duty team.
 * 3. Only the excerpt (≤ 280 characters), category, severity, times, owner and ids are kept.
 * 4. Notices are best effort here: if enqueueing fails the escalation is still stored and the
 *    sweep enqueues them later (`awaitingNotice`).
 */
export async function raiseConcern(deps: EscalationDeps, input: RaiseConcernInput): Promise<RaiseConcernResult> {
  const concern = raiseSchema.parse(input);
  const key = concern.idempotencyKey;
  if (key) {
    const seen = await deps.escalations.findByRaiseKey(key);
    if (seen) {
      // Already recorded (a retry, or a spool replay). The first attempt may have stored the
      // concern and then failed before its forced re-alert was enqueued: enqueue it now, in the
      // round attach uses for this key, so the outbox key `esc:<id>:repeat-<key>:<adviser>`
      // makes a notice that did go in the first time a no-op.
      if (concern.forceNotice) await notifySafely(deps, seen, forcedRound(key));
      return { escalation: seen, created: false, severityRaised: false, owner: ownerOfDoc(seen) };
    }
  }
  const clockNow = deps.clock.now();
  const nowDate = concern.raisedAt && Date.parse(concern.raisedAt) < clockNow.getTime() ? new Date(concern.raisedAt) : clockNow;
  const now = nowDate.toISOString();
  const excerpt = excerptOf(concern.messageText);
  const since = new Date(nowDate.getTime() - deps.settings.attachWindowMinutes * 60_000).toISOString();

  const open = await deps.escalations.findOpenInConversation(concern.conversationKey, since);
  // A different kind of worry just as serious as the open one gets its own record and notice;
  // attaching would only bump a counter and the adviser would never hear of it.
  const newWorry = open !== null && open.category !== concern.category && severityRank(concern.severity) === severityRank(open.severity);
  if (open && !newWorry) {
    const attached = await attach(deps, open, concern.severity, concern.category, excerpt, nowDate, concern.forceNotice ?? false, key);
    if (attached) return attached;
    // The open escalation changed under us (resolved meanwhile): raise a new one.
  }

  const owner = await resolveOwner(deps, concern.userKey);
  const doc: EscalationDoc = {
    _id: newEscalationId(),
    userKey: concern.userKey,
    conversationKey: concern.conversationKey,
    severity: concern.severity,
    category: concern.category,
    status: 'raised',
    excerpt,
    ownerKind: owner.kind,
    ownerAdviserId: owner.kind === 'adviser' ? owner.adviserId : null,
    dutyAccess: owner.kind === 'duty',
    raiseCount: 1,
    createdAt: now,
    updatedAt: now,
    lastRaisedAt: now,
    severityRaisedAt: now,
    history: [{ at: now, severity: concern.severity, category: concern.category }],
    noticeEnqueuedAt: null,
    notifiedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolutionNote: null,
    ackDueAt: ackDueAt(deps, concern.severity, nowDate.getTime()),
    slaRepeats: 0,
    ...(key ? { raiseKeys: [key] } : {}),
  };
  await deps.escalations.insert(doc);
  await deps.audit.record({ kind: 'care-leaver', id: concern.userKey }, 'raised', [doc._id], {
    severity: doc.severity,
    category: doc.category,
    ownerKind: owner.kind,
    ...(concern.source === 'spool' ? { fromSpool: true } : {}),
  });
  deps.logger?.info({ escalationId: doc._id, severity: doc.severity, category: doc.category, ownerKind: owner.kind }, 'escalation raised');

  if (doc.severity !== 'medium') await notifySafely(deps, doc, currentRound(doc));
  return { escalation: (await deps.escalations.get(doc._id)) ?? doc, created: true, severityRaised: false, owner };
}

async function attach(
  deps: EscalationDeps,
  open: EscalationDoc,
  severity: EscalationSeverity,
  category: string,
  excerpt: string,
  nowDate: Date,
  forceNotice: boolean,
  key: string | undefined,
): Promise<RaiseConcernResult | null> {
  // The key goes in with the same write, so a retry after a lost answer finds it.
  const pushKey = key ? { raiseKeys: key } : {};
  const now = nowDate.toISOString();
  // When this write happens (a replayed concern carries its older raise time in `now`).
  const writtenAt = deps.clock.now().toISOString();
  const rises = severityRank(severity) > severityRank(open.severity);
  const stillOpen = { status: { $in: ['raised', 'notified', 'acknowledged'] }, severity: open.severity };
  const updated = rises
    ? await deps.escalations.update(open._id, stillOpen, {
        $set: {
          severity,
          category,
          excerpt,
          // A rise needs a fresh acknowledgement, with a fresh SLA.
          status: 'raised',
          acknowledgedAt: null,
          acknowledgedBy: null,
          severityRaisedAt: now,
          updatedAt: writtenAt,
          ackDueAt: ackDueAt(deps, severity, nowDate.getTime()),
          slaRepeats: 0,
          noticeEnqueuedAt: null,
        },
        $inc: { raiseCount: 1 },
        $push: { history: { at: now, severity, category }, ...pushKey },
      })
    : await deps.escalations.update(open._id, stillOpen, {
        $set: { updatedAt: writtenAt },
        $inc: { raiseCount: 1 },
        ...(key ? { $push: pushKey } : {}),
      });
  if (!updated) return null;
  // `lastRaisedAt` only moves forward (`$max`, which the store port lacks, as one atomic
  // conditional write): a replayed older concern must not shrink the attach window.
  const latest = (await deps.escalations.update(open._id, { lastRaisedAt: { $lt: now } }, { $set: { lastRaisedAt: now } })) ?? updated;

  await deps.audit.record({ kind: 'care-leaver', id: latest.userKey }, rises ? 'severity-raised' : 'attached', [latest._id], {
    severity: latest.severity,
    category: latest.category,
    from: open.severity,
  });
  if (rises) {
    deps.logger?.info({ escalationId: latest._id, from: open.severity, to: severity }, 'escalation severity raised');
    // A forced rise ("I'm not safe" on a high concern) uses the forced round, so a retry of the
    // same concern (which finds its key and re-sends that round) cannot tell the owner twice.
    if (severity !== 'medium') await notifySafely(deps, latest, forceNotice && key ? forcedRound(key) : currentRound(latest));
  } else if (forceNotice) {
    await notifySafely(deps, latest, key ? forcedRound(key) : `repeat-${nowDate.getTime()}`);
  }
  return { escalation: latest, created: false, severityRaised: rises, owner: ownerOfDoc(latest) };
}

/** The round of a forced re-alert ("I'm not safe"): one per concern, whichever attempt enqueues it. */
function forcedRound(key: string): string {
  return `repeat-${key}`;
}

function ownerOfDoc(doc: EscalationDoc): Owner {
  return doc.ownerKind === 'adviser' && doc.ownerAdviserId ? { kind: 'adviser', adviserId: doc.ownerAdviserId } : { kind: 'duty' };
}

async function notifySafely(deps: EscalationDeps, doc: EscalationDoc, round: string): Promise<void> {
  // (A forced repeat that fails to enqueue is only logged: the escalation itself is already
  // stored and, unless acknowledged, the SLA sweep keeps reminding.)
  try {
    await notifyEscalation(deps, doc, round, { kind: 'first', includeDuty: false });
  } catch (error) {
    // Persisted already; the sweep's `awaitingNotice` pass will enqueue it.
    deps.logger?.error({ err: error, escalationId: doc._id }, 'could not enqueue the escalation notice yet');
  }
}

/** A young person said yes to "shall I tell your PA now?" for a medium concern. */
export async function requestOwnerNotice(deps: EscalationDeps, escalationId: string, userKey: string): Promise<boolean> {
  const doc = await deps.escalations.get(escalationId);
  if (!doc || doc.userKey !== userKey || doc.status === 'resolved') return false;
  // Each request is its own round (a later request is a new card, not a duplicate of the first).
  await notifyEscalation(deps, doc, `on-request-${deps.clock.now().getTime()}`, { kind: 'first', includeDuty: false });
  return true;
}

/** The young person's answer to "Are you safe right now?", kept on the escalation (no text). */
export async function recordSafeCheck(deps: EscalationDeps, escalationId: string, userKey: string, answer: 'safe' | 'not-safe'): Promise<void> {
  const now = deps.clock.now().toISOString();
  const updated = await deps.escalations.update(escalationId, { userKey }, { $set: { safeCheck: { answer, at: now }, updatedAt: now } });
  if (updated) await deps.audit.record({ kind: 'care-leaver', id: userKey }, 'safe-check', [escalationId], { answer });
}
