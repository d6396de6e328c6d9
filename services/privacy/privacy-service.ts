import type { Clock } from '../clock';

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
  ) {
    const sections = holders.map((holder) => holder.section);
    const duplicate = sections.find((section, index) => sections.indexOf(section) !== index);
    if (duplicate) throw new Error(`two personal data holders share the section "${duplicate}"`);
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

  /**
   * Delete my data. Holders are erased in order and the last one is the profile (consent), so a
   * failure part-way leaves the young person still known and the request can simply run again.
   */
  async deleteData(userKey: string): Promise<ErasureReport> {
    const deleted: Record<string, number> = {};
    for (const holder of this.holders) {
      deleted[holder.section] = await holder.eraseFor(userKey);
    }
    return { erasedAt: this.clock.now().toISOString(), deleted };
  }
}
