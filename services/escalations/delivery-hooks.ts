import type { DrainHooks } from '../outbox/drain';
import type { FailureReason, OutboxRow } from '../outbox/outbox-repository';
import { enqueueMessage } from '../outbox/enqueue';
import type { EscalationDeps } from './deps';
import { buildNotice } from './notice';
import { NOTICE_TOPIC } from './notify';

/**
 * What the outbox tells escalations:
 * - a notice delivered: `raised` → `notified` (audited);
 * - a notice undeliverable: a dead reference is forgotten, and the same notice goes to every duty
 *   adviser who can be reached (never to nobody without a loud log).
 */
export function escalationDeliveryHooks(deps: EscalationDeps): DrainHooks {
  return {
    async onDelivered(row: OutboxRow) {
      if (row.topic !== NOTICE_TOPIC || !row.subjectId) return;
      const now = deps.clock.now().toISOString();
      const updated = await deps.escalations.update(row.subjectId, { status: 'raised' }, { $set: { status: 'notified', notifiedAt: now, updatedAt: now } });
      await deps.audit.record({ kind: 'system', id: 'outbox' }, 'notified', [row.subjectId], {
        recipient: row.recipientKey,
        statusChanged: !!updated,
      });
    },

    async onUndeliverable(row: OutboxRow, reason: FailureReason) {
      if (row.topic !== NOTICE_TOPIC || !row.subjectId) return;
      const adviserId = row.recipientKey.startsWith('adviser:') ? row.recipientKey.slice('adviser:'.length) : null;
      if (adviserId && reason === 'dead-reference') await deps.references.forgetIfSame(adviserId, row.recipient.conversation.id);
      await deps.audit.record({ kind: 'system', id: 'outbox' }, 'notice-undeliverable', [row.subjectId], { recipient: row.recipientKey, reason });

      const doc = await deps.escalations.get(row.subjectId);
      if (!doc || doc.status === 'resolved' || row._id.includes(':duty-fallback:')) return;
      if (!doc.dutyAccess) await deps.escalations.update(doc._id, {}, { $set: { dutyAccess: true } });
      let sent = 0;
      for (const duty of deps.advisers.dutyTeam()) {
        if (duty.id === adviserId) continue;
        const reference = await deps.references.referenceFor(duty.id);
        if (!reference) continue;
        await enqueueMessage(
          { outbox: deps.outbox, clock: deps.clock },
          {
            idempotencyKey: `${row._id}:duty-fallback:${duty.id}`,
            topic: NOTICE_TOPIC,
            subjectId: doc._id,
            recipientKey: `adviser:${duty.id}`,
            recipient: reference,
            message: buildNotice(deps.text, doc, { kind: 'first', dutyCover: true, consoleUrl: deps.consoleUrl(), channelId: reference.channelId }),
            maxAttempts: deps.settings.noticeMaxAttempts,
          },
        );
        sent += 1;
      }
      if (sent === 0) deps.logger?.error({ escalationId: doc._id, reason }, 'escalation notice undeliverable and no duty adviser reachable');
    },
  };
}
