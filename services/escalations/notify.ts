import { enqueueMessage } from '../outbox/enqueue';
import type { EscalationDeps } from './deps';
import type { EscalationDoc } from './escalation';
import { buildNotice, type NoticeKind } from './notice';

export const NOTICE_TOPIC = 'escalation.notice';

/** The round of the first notice at the current severity: `first`, or `raised-<severity>` after a rise. */
export function currentRound(doc: Pick<EscalationDoc, 'history' | 'severity'>): string {
  return doc.history.length <= 1 ? 'first' : `raised-${doc.severity}`;
}

export interface NotifyResult {
  /** Adviser ids a notice was enqueued for (or already had been, for this round). */
  recipients: string[];
  dutyInvolved: boolean;
}

/**
 * Enqueues this round's notice to the owner and, when the owner cannot be reached (no registered
 * conversation) or `includeDuty`, to every duty adviser who has one. Idempotent per round and
 * recipient (`esc:<id>:<round>:<adviserId>`), so a retried round never sends twice.
 * Grants the duty team access before it enqueues anything to them.
 */
export async function notifyEscalation(
  deps: EscalationDeps,
  doc: EscalationDoc,
  round: string,
  options: { kind: NoticeKind; includeDuty: boolean },
): Promise<NotifyResult> {
  const targets: Array<{ adviserId: string; dutyCover: boolean }> = [];
  let dutyInvolved = doc.ownerKind === 'duty' || options.includeDuty;
  let ownerReference = null;
  if (doc.ownerKind === 'adviser' && doc.ownerAdviserId) {
    ownerReference = await deps.references.referenceFor(doc.ownerAdviserId);
    if (ownerReference) targets.push({ adviserId: doc.ownerAdviserId, dutyCover: false });
    else dutyInvolved = true;
  }
  if (dutyInvolved) {
    for (const adviser of deps.advisers.dutyTeam()) {
      if (!targets.some((target) => target.adviserId === adviser.id)) {
        targets.push({ adviserId: adviser.id, dutyCover: doc.ownerKind === 'adviser' });
      }
    }
    if (!doc.dutyAccess) {
      await deps.escalations.update(doc._id, {}, { $set: { dutyAccess: true } });
      doc = { ...doc, dutyAccess: true };
    }
  }

  const recipients: string[] = [];
  const consoleUrl = deps.consoleUrl();
  for (const target of targets) {
    const reference = target.adviserId === doc.ownerAdviserId && ownerReference ? ownerReference : await deps.references.referenceFor(target.adviserId);
    if (!reference) continue;
    await enqueueMessage(
      { outbox: deps.outbox, clock: deps.clock },
      {
        idempotencyKey: `esc:${doc._id}:${round}:${target.adviserId}`,
        topic: NOTICE_TOPIC,
        subjectId: doc._id,
        recipientKey: `adviser:${target.adviserId}`,
        recipient: reference,
        message: buildNotice(deps.text, doc, { kind: options.kind, dutyCover: target.dutyCover, consoleUrl, channelId: reference.channelId }),
        maxAttempts: deps.settings.noticeMaxAttempts,
      },
    );
    recipients.push(target.adviserId);
  }

  const now = deps.clock.now().toISOString();
  await deps.escalations.update(doc._id, { noticeEnqueuedAt: null }, { $set: { noticeEnqueuedAt: now } });
  await deps.audit.record({ kind: 'system', id: 'notifier' }, 'notice-enqueued', [doc._id], {
    round,
    recipients: recipients.length,
    dutyInvolved,
  });
  if (recipients.length === 0) {
    deps.logger?.error({ escalationId: doc._id, severity: doc.severity, round }, 'no adviser can be reached for this escalation: it waits in the console');
  }
  return { recipients, dutyInvolved };
}
