import type { Clock } from '../clock';
import type { ExportHandoffs, Handoff, HandoffKind } from './export-handoffs';

/**
 * Export and erase a young person's data (DESIGN.md rule 4). Each module that keeps personal data
 * about a care leaver registers one holder; the use cases below run across all of them.
 */
export interface PersonalDataHolder {
  /** A short section name used in the export ("profile", "checkIns"). */
  readonly section: string;
  /** Everything held about `userKey`, as plain JSON values, with no secrets (no code hashes). */
  exportFor(userKey: string): Promise<unknown>;
  /** Deletes everything held about `userKey`; returns how many records went. Idempotent. */
  eraseFor(userKey: string): Promise<number>;
  /**
   * Held a short while in this process's memory only (the safety gate's last few messages, the
   * local Web Chat channel's history), which includes the very request to export or delete:
   * exported and erased, but never alone a reason to say data is kept.
   */
  readonly transient?: boolean;
}

export interface DataExport {
  exportedAt: string;
  sections: Record<string, unknown>;
}

export interface ErasureReport {
  erasedAt: string;
  /** Records deleted per section. */
  deleted: Record<string, number>;
}

export class PrivacyService {
  constructor(
    private readonly holders: readonly PersonalDataHolder[],
    private readonly clock: Clock,
    private readonly handoffs: ExportHandoffs,
  ) {
    const sections = holders.map((holder) => holder.section);
    const duplicate = sections.find((section, index) => sections.indexOf(section) !== index);
    if (duplicate) throw new Error(`two personal data holders share the section "${duplicate}"`);
  }

  /** Whether an export holds anything kept beyond a few minutes. */
  keepsData(data: DataExport): boolean {
    return this.holders
      .filter((holder) => !holder.transient)
      .some((holder) => {
        const value = data.sections[holder.section];
        return Array.isArray(value) ? value.length > 0 : value !== null && value !== undefined;
      });
  }

  /** Export my data: every section, read in parallel. */
  async exportData(userKey: string): Promise<DataExport> {
    const values = await Promise.all(this.holders.map((holder) => holder.exportFor(userKey)));
    const sections: Record<string, unknown> = {};
    this.holders.forEach((holder, index) => {
      sections[holder.section] = values[index];
    });
    return { exportedAt: this.clock.now().toISOString(), sections };
  }

  /** How long a handoff (file-consent card or download link) lasts, in whole minutes. */
  get handoffMinutes(): number {
    return Math.round(this.handoffs.ttlMs / 60_000);
  }

  /**
   * Export my data outside the chat: a single-use, short-lived token for a Teams file-consent
   * card or a download link. It keeps only whose export it is; the data is read when it is used.
   */
  offerExport(userKey: string, kind: HandoffKind): Promise<Handoff> {
    return this.handoffs.offer(userKey, kind);
  }

  /**
   * Uses a handoff once and returns the export it stands for, or null when the token is unknown,
   * used, expired or (for a file-consent card, where `userKey` is given) someone else's.
   */
  async redeemExport(token: string, kind: HandoffKind, userKey?: string): Promise<DataExport | null> {
    const claimed = await this.handoffs.claimUndoably(token, kind, userKey);
    if (!claimed) return null;
    try {
      return await this.exportData(claimed.owner);
    } catch (error) {
      await claimed.undo().catch(() => undefined);
      throw error;
    }
  }

  /** A declined file-consent card: its handoff goes unused. */
  declineExport(token: string, userKey: string): Promise<boolean> {
    return this.handoffs.discard(token, 'teams-consent', userKey);
  }

  /**
   * Delete my data. Any export handoff still open goes first; then holders are erased in order and
   * the last one is the profile (consent), so a failure part-way leaves the young person still
   * known and the request can simply run again.
   */
  async deleteData(userKey: string): Promise<ErasureReport> {
    const deleted: Record<string, number> = {};
    await this.handoffs.eraseFor(userKey);
    for (const holder of this.holders) {
      deleted[holder.section] = await holder.eraseFor(userKey);
    }
    return { erasedAt: this.clock.now().toISOString(), deleted };
  }
}
