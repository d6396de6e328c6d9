import { INVITE_CODES_COLLECTION } from '../advisers/invite-codes';
import type { PersonalDataHolder } from '../privacy/privacy-service';
import type { Clock } from '../clock';
import type { Collection, DocumentStore } from '../store/port';
import { erasedKeyOf, Erasures } from './erasures';
import { ESCALATION_AUDIT_COLLECTION, type AuditEntry } from './audit-log';
import type { EscalationDoc } from './escalation';
import { ESCALATIONS_COLLECTION } from './escalation-repository';
import { SAFETY_FOLLOW_UPS_COLLECTION, type FollowUp } from './follow-ups';

/**
 * Rule 4 for concerns (section "concerns" of a data export / deletion).
 *
 * Export: what was raised about them — severity, category, status, times and the words of theirs
 * that were kept. Advisers' notes and ids are left out (a subject access request may still need
 * them; that is a decision for the council's data protection officer, not for the bot).
 *
 * Erase: a resolved concern is deleted. An OPEN concern is a live safeguarding matter and is never
 * dropped: its excerpt is blanked and its link to the young person replaced by a one-way hash, so
 * the adviser can still see and close it but nothing leads back to the person. Audit entries keep
 * who did what, with the young person's id replaced the same way (also on a redeemed invite
 * code); pending safety questions go.
 */
export function escalationDataHolder(store: DocumentStore, clock: Clock): PersonalDataHolder {
  const escalations: Collection<EscalationDoc> = store.collection<EscalationDoc>(ESCALATIONS_COLLECTION);
  const audit: Collection<AuditEntry> = store.collection<AuditEntry>(ESCALATION_AUDIT_COLLECTION);
  const followUps: Collection<FollowUp> = store.collection<FollowUp>(SAFETY_FOLLOW_UPS_COLLECTION);
  const inviteCodes = store.collection<{ _id: string; usedBy: string | null }>(INVITE_CODES_COLLECTION);
  const erasures = new Erasures(store, clock);

  return {
    section: 'concerns',
    async exportFor(userKey) {
      const docs = await escalations.find({ userKey }, { sort: { createdAt: 1 } });
      return docs.map((doc) => ({
        severity: doc.severity,
        category: doc.category,
        status: doc.status,
        raisedAt: doc.createdAt,
        whatYouWrote: doc.excerpt,
        acknowledgedAt: doc.acknowledgedAt,
        resolvedAt: doc.resolvedAt,
      }));
    },
    async eraseFor(userKey) {
      // First, so a concern spooled before this and replayed after it comes back without them too.
      await erasures.record(userKey);
      const replacement = erasedKeyOf(userKey);
      let count = (await escalations.deleteMany({ userKey, status: 'resolved' })).deletedCount;
      const open = await escalations.updateMany(
        { userKey },
        { $set: { userKey: replacement, conversationKey: replacement, excerpt: '', erased: true } },
      );
      count += open.matchedCount;
      await audit.updateMany({ 'actor.kind': 'care-leaver', 'actor.id': userKey }, { $set: { 'actor.id': replacement } });
      count += (await followUps.deleteMany({ userKey })).deletedCount;
      await inviteCodes.updateMany({ usedBy: userKey }, { $set: { usedBy: replacement } });
      return count;
    },
  };
}
