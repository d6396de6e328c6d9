import { createHash } from 'node:crypto';
import { type Clock, londonDate } from '../clock';
import { enqueueMessage } from '../outbox/enqueue';
import { OUTBOX_COLLECTION, type OutboxRepository, type OutboxRow } from '../outbox/outbox-repository';
import type { PersonalDataHolder } from '../privacy/privacy-service';
import type { ProfileRepository } from '../profiles/profile-repository';
import type { JobSpec } from '../scheduling/jobs';
import type { DocumentStore } from '../store/port';
import { dueReminders, type EntitlementTracker } from './tracker';

/**
 * Reminders before an age limit passes (three months before, e.g. Staying Put before 21, a PA
 * before 25). A daily sweep puts at most one reminder per young person per day into the persisted
 * outbox; the idempotency key (person, entitlement, limit date) makes a re-run or a second
 * instance a no-op, and the outbox delivers it. Only young people with a date of birth, with
 * reminders on, and a conversation to send to, get them; "stop reminders" turns them off.
 */
export const REMINDER_TOPIC = 'entitlement-reminder';

export interface ReminderDeps {
  profiles: ProfileRepository;
  tracker: EntitlementTracker;
  outbox: OutboxRepository;
  clock: Clock;
  /** Moderated words: `journeys.entitlements.reminder` with `{ title, date }`. */
  render(id: string, params: Readonly<Record<string, string | number>>): string;
  /** "14 March 2027". */
  formatDate(isoDay: string): string;
}

export interface ReminderReport {
  people: number;
  queued: number;
}

function pseudonym(userKey: string): string {
  return createHash('sha256').update(`tribe-reminder:${userKey}`).digest('hex').slice(0, 32);
}

export async function queueEntitlementReminders(deps: ReminderDeps): Promise<ReminderReport> {
  const today = londonDate(deps.clock.now());
  const report: ReminderReport = { people: 0, queued: 0 };
  for (const profile of await deps.profiles.withReminders()) {
    report.people += 1;
    const due = dueReminders(await deps.tracker.checklist(profile._id, profile), today).sort((a, b) => a.endsOn!.localeCompare(b.endsOn!));
    if (due.length === 0 || !profile.reference) continue;
    const person = pseudonym(profile._id);
    const subjectId = `reminders-${person}`;
    // At most one a day per person; each item's own key stops the same reminder ever going twice.
    const earlier = await deps.outbox.list({ subjectId, topic: REMINDER_TOPIC });
    if (earlier.some((row) => londonDate(new Date(row.createdAt)) === today)) continue;
    const sent = new Set(earlier.map((row) => row._id));
    const next = due.find((item) => !sent.has(`${REMINDER_TOPIC}:${person}:${item.entitlement.id}:${item.endsOn}`));
    if (!next) continue;
    const created = await enqueueMessage(
      { outbox: deps.outbox, clock: deps.clock },
      {
        idempotencyKey: `${REMINDER_TOPIC}:${person}:${next.entitlement.id}:${next.endsOn}`,
        topic: REMINDER_TOPIC,
        subjectId,
        recipientKey: `care-leaver:${person}`,
        recipient: profile.reference,
        message: { text: deps.render('journeys.entitlements.reminder', { title: next.entitlement.title, date: deps.formatDate(next.endsOn!) }) },
      },
    );
    if (created.created) report.queued += 1;
  }
  return report;
}

/** The daily job, at 10:00 Europe/London (outside quiet hours). */
export function entitlementReminderJob(deps: ReminderDeps): JobSpec {
  return { name: 'entitlement-reminders', cron: '0 0 10 * * *', leaseMs: 15 * 60_000, run: () => queueEntitlementReminders(deps) };
}

/**
 * Reminders waiting in (or sent through) the outbox are the young person's data too: exported as
 * when and what, and deleted with everything else so nothing is sent after "delete my data".
 */
export function reminderDataHolder(store: DocumentStore): PersonalDataHolder {
  const rows = store.collection<OutboxRow>(OUTBOX_COLLECTION);
  const mine = (userKey: string) => ({ subjectId: `reminders-${pseudonym(userKey)}`, topic: REMINDER_TOPIC });
  return {
    section: 'reminders',
    async exportFor(userKey) {
      const found = await rows.find(mine(userKey), { sort: { createdAt: 1 } });
      return found.map((row) => ({ queuedAt: new Date(row.createdAt).toISOString(), status: row.status, message: row.message?.text ?? null }));
    },
    async eraseFor(userKey) {
      return (await rows.deleteMany(mine(userKey))).deletedCount;
    },
  };
}
