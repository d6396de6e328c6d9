import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { Collection, DocumentStore } from '../store/port';
import { indexesOnFirstUse } from '../store/indexes';

/**
 * `escalation_audit`: who did what to which escalation, and when. Every read (list) and every
 * change is recorded, refusals too. It never holds message text, notes or names — ids only.
 */
export const ESCALATION_AUDIT_COLLECTION = 'escalation_audit';

export type AuditActor = { kind: 'adviser'; id: string } | { kind: 'system'; id: string } | { kind: 'care-leaver'; id: string };

export type AuditAction =
  | 'raised'
  | 'attached'
  | 'severity-raised'
  | 'notice-enqueued'
  | 'notified'
  | 'notice-undeliverable'
  | 'sla-reminder'
  | 'listed'
  | 'acknowledged'
  | 'resolved'
  | 'access-refused'
  | 'safe-check';

export interface AuditEntry {
  _id: string;
  at: string;
  actor: AuditActor;
  action: AuditAction;
  escalationIds: string[];
  /** Ids, counts and enum values only. */
  detail: Record<string, string | number | boolean | null>;
  [key: string]: unknown;
}

export class EscalationAuditLog {
  private readonly entries: Collection<AuditEntry>;
  private readonly ensureIndexes = indexesOnFirstUse(() => [this.entries.createIndex({ at: 1 })]);

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
  ) {
    this.entries = store.collection<AuditEntry>(ESCALATION_AUDIT_COLLECTION);
  }

  async record(actor: AuditActor, action: AuditAction, escalationIds: string[], detail: AuditEntry['detail'] = {}): Promise<void> {
    await this.ensureIndexes();
    await this.entries.insertOne({ _id: randomUUID(), at: this.clock.now().toISOString(), actor, action, escalationIds, detail });
  }

  /** Entries about one escalation, oldest first (for reviews and tests). */
  forEscalation(id: string): Promise<AuditEntry[]> {
    return this.entries.find({ escalationIds: id }, { sort: { at: 1 } });
  }

  all(limit = 1000): Promise<AuditEntry[]> {
    return this.entries.find({}, { sort: { at: 1 }, limit });
  }
}
