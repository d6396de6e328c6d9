import { randomUUID } from 'node:crypto';
import type { RunCoordinator } from 'node-cron';
import type { Clock } from '../clock';
import { DuplicateKeyError, type Collection, type DocumentStore } from '../store/port';

/**
 * node-cron's `RunCoordinator`, backed by the document store: one run per slot across every
 * instance. One lease document per job (`job_leases`), not one per slot, so it does not grow.
 *
 * `shouldRun(key)` wins when, atomically, the job's last claimed slot is earlier than this one AND
 * the previous run's lease has ended (`leaseUntil` ≤ now, explicit timestamps — no TTL index).
 * `onComplete` ends the lease early. A crashed run holds its lease until `ttlMs` passes; the next
 * slot after that runs normally. ISO-8601 strings compare as text, so no Date handling is needed.
 */
export const JOB_LEASES_COLLECTION = 'job_leases';

interface LeaseDoc {
  _id: string;
  lastSlot: string;
  leaseUntil: string;
  holder: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  [key: string]: unknown;
}

export function splitCoordinatorKey(key: string): { job: string; slot: string } {
  // node-cron builds keys as `${name}:${slot.toISOString()}`; our job names contain no ':'.
  const at = key.indexOf(':');
  return at < 0 ? { job: key, slot: '' } : { job: key.slice(0, at), slot: key.slice(at + 1) };
}

export class StoreRunCoordinator implements RunCoordinator {
  private readonly leases: Collection<LeaseDoc>;

  constructor(
    store: DocumentStore,
    private readonly clock: Clock,
    /** Identifies this instance in the lease document (diagnostics and fencing). */
    readonly holder: string = randomUUID(),
  ) {
    this.leases = store.collection<LeaseDoc>(JOB_LEASES_COLLECTION);
  }

  async shouldRun(key: string, ttlMs: number): Promise<boolean> {
    const { job, slot } = splitCoordinatorKey(key);
    await this.ensureDoc(job);
    const at = this.clock.now();
    const now = at.toISOString();
    const won = await this.leases.findOneAndUpdate(
      { _id: job, lastSlot: { $lt: slot }, leaseUntil: { $lte: now } },
      {
        $set: {
          lastSlot: slot,
          leaseUntil: new Date(at.getTime() + Math.max(1, ttlMs)).toISOString(),
          holder: this.holder,
          startedAt: now,
          finishedAt: null,
        },
      },
    );
    return won !== null;
  }

  async onComplete(key: string): Promise<void> {
    const { job, slot } = splitCoordinatorKey(key);
    const now = this.clock.now().toISOString();
    await this.leases.updateOne({ _id: job, lastSlot: slot, holder: this.holder }, { $set: { leaseUntil: now, finishedAt: now } });
  }

  /** Runs `work` for `slot` only if this instance wins it; resolves with whether it ran. */
  async runExclusive(job: string, slot: string, ttlMs: number, work: () => Promise<void>): Promise<boolean> {
    const key = `${job}:${slot}`;
    if (!(await this.shouldRun(key, ttlMs))) return false;
    try {
      await work();
    } finally {
      await this.onComplete(key);
    }
    return true;
  }

  private async ensureDoc(job: string): Promise<void> {
    if (await this.leases.findOne({ _id: job })) return;
    try {
      await this.leases.insertOne({ _id: job, lastSlot: '', leaseUntil: '', holder: null, startedAt: null, finishedAt: null });
    } catch (error) {
      if (!(error instanceof DuplicateKeyError)) throw error;
    }
  }
}
