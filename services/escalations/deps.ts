import type { AdviserDirectory } from '../advisers/adviser-directory';
import type { AdviserReferences } from '../advisers/adviser-references';
import type { Clock } from '../clock';
import type { Config } from '../config';
import type { Logger } from '../logging';
import type { OutboxRepository } from '../outbox/outbox-repository';
import type { EscalationAuditLog } from './audit-log';
import type { Erasures } from './erasures';
import type { EscalationRepository } from './escalation-repository';
import type { EscalationSpool } from './spool';

/**
 * Who owns a care leaver's concerns: the adviser id of their linked PA, or null when they have none.
 * Engineer E's profiles supply it (`profile.adviserId`); see `ownerFromProfiles`.
 */
export type OwnerResolver = (userKey: string) => Promise<string | null>;

/** Moderated words (engineer D's `ContentCatalog` fits this shape). */
export interface TextSource {
  render(id: string, params?: Readonly<Record<string, string | number>>): string;
  scripted(id: string): { readonly suggestions: readonly string[] };
}

export interface EscalationSettings {
  /** Repeats from the same conversation within this many minutes attach to the open escalation. */
  attachWindowMinutes: number;
  urgentAckMinutes: number;
  highAckMinutes: number;
  /** SLA reminders per escalation before we stop repeating (it stays listed). */
  maxSlaRepeats: number;
  /** Attempts per notice before it is marked `failed`. */
  noticeMaxAttempts: number;
}

export const defaultEscalationSettings: EscalationSettings = {
  attachWindowMinutes: 60,
  urgentAckMinutes: 15,
  highAckMinutes: 240,
  maxSlaRepeats: 3,
  noticeMaxAttempts: 8,
};

export function escalationSettingsFromConfig(
  config: Pick<Config, 'ESCALATION_URGENT_ACK_MINUTES' | 'ESCALATION_HIGH_ACK_MINUTES'>,
): EscalationSettings {
  return {
    ...defaultEscalationSettings,
    urgentAckMinutes: config.ESCALATION_URGENT_ACK_MINUTES,
    highAckMinutes: config.ESCALATION_HIGH_ACK_MINUTES,
  };
}

export interface EscalationDeps {
  escalations: EscalationRepository;
  audit: EscalationAuditLog;
  outbox: OutboxRepository;
  advisers: AdviserDirectory;
  references: AdviserReferences;
  resolveOwner: OwnerResolver;
  text: TextSource;
  clock: Clock;
  settings: EscalationSettings;
  /** Absolute URL of the adviser console, for the card's Open button. */
  consoleUrl: () => string;
  logger?: Logger;
  /** Where a concern goes when the store refuses it through every retry (see spool.ts). */
  spool?: EscalationSpool;
  /** Who deleted their data: a spooled concern from before that comes back without them. */
  erasures: Erasures;
}
