import type { AdviserDirectory } from '../advisers/adviser-directory';
import { AdviserReferences } from '../advisers/adviser-references';
import type { Clock } from '../clock';
import type { Logger } from '../logging';
import { OutboxRepository } from '../outbox/outbox-repository';
import type { DocumentStore } from '../store/port';
import { EscalationAuditLog } from './audit-log';
import { defaultEscalationSettings, type EscalationDeps, type EscalationSettings, type OwnerResolver, type TextSource } from './deps';
import { EscalationRepository } from './escalation-repository';
import { Erasures } from './erasures';
import type { EscalationSpool } from './spool';

export { acknowledge, listForAdviser, listQuerySchema, resolutionNoteSchema, resolve, type ActionResult } from './adviser-actions';
export { EscalationAuditLog, type AuditEntry } from './audit-log';
export { escalationDeliveryHooks } from './delivery-hooks';
export * from './deps';
export { escalationIdSchema, toView, type EscalationDoc, type EscalationView } from './escalation';
export { EscalationRepository } from './escalation-repository';
export { ACKNOWLEDGE_ACTION, ADVISER_ACTION_CHANNEL, NOTICE_TEMPLATES } from './notice';
export { NOTICE_TOPIC } from './notify';
export { ownerFromProfiles } from './owner-from-profiles';
export { escalationDataHolder } from './personal-data';
export { answerTo, FollowUps, leavesSafeCheckOpen, type FollowUp, type FollowUpAnswer, type FollowUpKind } from './follow-ups';
export { raiseConcern, recordSafeCheck, requestOwnerNotice, type RaiseConcernInput, type RaiseConcernResult } from './raise-concern';
export { runSlaSweep, type SlaSweepReport } from './sla-sweep';
export { errorSummary, type ErrorSummary } from '../error-summary';
export { EscalationSpool, LEGACY_SPOOL_FILE, newConcernKey, spoolFileName, spoolInstanceName, type ReplayReport, type SpoolEntry, type SpoolOptions } from './spool';
export { DEFAULT_QUIET_HOURS, isQuietHours, quietHoursEnd, type QuietHours } from './london-time';

export interface EscalationWiring {
  store: DocumentStore;
  clock: Clock;
  advisers: AdviserDirectory;
  resolveOwner: OwnerResolver;
  text: TextSource;
  consoleUrl: () => string;
  settings?: Partial<EscalationSettings>;
  logger?: Logger;
  /** Share one outbox and reference registry with the rest of the app when given. */
  outbox?: OutboxRepository;
  references?: AdviserReferences;
  spool?: EscalationSpool;
}

export function createEscalationDeps(wiring: EscalationWiring): EscalationDeps {
  return {
    escalations: new EscalationRepository(wiring.store),
    audit: new EscalationAuditLog(wiring.store, wiring.clock),
    outbox: wiring.outbox ?? new OutboxRepository(wiring.store),
    advisers: wiring.advisers,
    references: wiring.references ?? new AdviserReferences(wiring.store, wiring.clock),
    resolveOwner: wiring.resolveOwner,
    text: wiring.text,
    clock: wiring.clock,
    settings: { ...defaultEscalationSettings, ...wiring.settings },
    consoleUrl: wiring.consoleUrl,
    logger: wiring.logger,
    spool: wiring.spool,
    erasures: new Erasures(wiring.store, wiring.clock),
  };
}
