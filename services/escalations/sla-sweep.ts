import type { EscalationDeps } from './deps';
import type { EscalationDoc } from './escalation';
import { currentRound, notifyEscalation } from './notify';

export interface SlaSweepReport {
  reminded: number;
  renoticed: number;
  exhausted: number;
}

/**
 * Runs every minute (one instance per slot, see services/scheduling):
 *
 * 1. High and urgent escalations still unacknowledged past their SLA (urgent:
 *    `ESCALATION_URGENT_ACK_MINUTES`, high: `ESCALATION_HIGH_ACK_MINUTES`) are sent again to the
 *    owner and to the duty team, which is given access. At most `maxSlaRepeats` times; after that
 *    it stays at the top of the console and the log says so.
 * 2. Escalations persisted but never handed to the outbox (a crash in between) get their notice.
 *
 * Crash-safe: each reminder round is enqueued with a deterministic idempotency key *before* the
 * round counter moves, so a crash in between repeats the enqueue (a no-op), never skips it.
 */
export async function runSlaSweep(deps: EscalationDeps, options: { limit?: number } = {}): Promise<SlaSweepReport> {
  const limit = options.limit ?? 50;
  const nowDate = deps.clock.now();
  const now = nowDate.toISOString();
  const report: SlaSweepReport = { reminded: 0, renoticed: 0, exhausted: 0 };

  for (const doc of await deps.escalations.dueForReminder(now, deps.settings.maxSlaRepeats, limit)) {
    try {
      await remind(deps, doc, nowDate);
      report.reminded += 1;
      if (doc.slaRepeats + 1 >= deps.settings.maxSlaRepeats) {
        report.exhausted += 1;
        deps.logger?.error(
          { escalationId: doc._id, severity: doc.severity, reminders: doc.slaRepeats + 1 },
          'escalation still unacknowledged after every reminder',
        );
      }
    } catch (error) {
      deps.logger?.error({ err: error, escalationId: doc._id }, 'SLA reminder failed; the next sweep retries');
    }
  }

  const graceMs = 30_000;
  for (const doc of await deps.escalations.awaitingNotice(new Date(nowDate.getTime() - graceMs).toISOString(), limit)) {
    try {
      await notifyEscalation(deps, doc, currentRound(doc), { kind: 'first', includeDuty: false });
      report.renoticed += 1;
    } catch (error) {
      deps.logger?.error({ err: error, escalationId: doc._id }, 'could not enqueue a pending escalation notice');
    }
  }
  return report;
}

async function remind(deps: EscalationDeps, doc: EscalationDoc, nowDate: Date): Promise<void> {
  const repeat = doc.slaRepeats + 1;
  // The round names the severity episode too, so a later rise starts fresh keys.
  const round = `sla-${doc.severity}-${Date.parse(doc.severityRaisedAt)}-${repeat}`;
  await notifyEscalation(deps, doc, round, { kind: 'reminder', includeDuty: true });

  const minutes = doc.severity === 'urgent' ? deps.settings.urgentAckMinutes : deps.settings.highAckMinutes;
  const now = nowDate.toISOString();
  const moved = await deps.escalations.update(
    doc._id,
    { slaRepeats: doc.slaRepeats, status: { $in: ['raised', 'notified'] } },
    { $set: { slaRepeats: repeat, ackDueAt: new Date(nowDate.getTime() + minutes * 60_000).toISOString(), updatedAt: now } },
  );
  if (moved) {
    await deps.audit.record({ kind: 'system', id: 'sla-sweep' }, 'sla-reminder', [doc._id], { repeat, severity: doc.severity });
    deps.logger?.warn({ escalationId: doc._id, severity: doc.severity, repeat }, 'escalation not acknowledged in time: reminded owner and duty team');
  }
}
