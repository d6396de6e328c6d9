import type { Clock } from '../clock';
import type { EscalationDeps } from '../escalations/deps';
import { escalationDeliveryHooks } from '../escalations/delivery-hooks';
import { runSlaSweep } from '../escalations/sla-sweep';
import type { Logger } from '../logging';
import type { Messenger } from '../messaging/messenger';
import { drainOutbox, type DrainHooks } from '../outbox/drain';
import type { OutboxRepository } from '../outbox/outbox-repository';
import type { JobSpec } from './jobs';

export const OUTBOX_DRAIN_JOB = 'outbox-drain';
export const ESCALATION_SLA_JOB = 'escalation-sla';

/** Runs every topic's hooks; a topic's hooks ignore rows of other topics. */
export function combineHooks(...all: DrainHooks[]): DrainHooks {
  return {
    onDelivered: async (row) => {
      for (const hooks of all) await hooks.onDelivered?.(row);
    },
    onUndeliverable: async (row, reason) => {
      for (const hooks of all) await hooks.onUndeliverable?.(row, reason);
    },
  };
}

/**
 * The two safeguarding jobs: the outbox drain (every 5 seconds) and the escalation SLA sweep (every
 * minute). Each run is one slot, elected across instances by the store-backed run coordinator.
 */
export function safeguardingJobs(input: {
  outbox: OutboxRepository;
  escalations: EscalationDeps;
  messenger: Messenger;
  clock: Clock;
  logger: Logger;
  extraHooks?: DrainHooks[];
}): JobSpec[] {
  const hooks = combineHooks(escalationDeliveryHooks(input.escalations), ...(input.extraHooks ?? []));
  return [
    {
      name: OUTBOX_DRAIN_JOB,
      cron: '*/5 * * * * *',
      leaseMs: 120_000,
      run: async () => {
        const report = await drainOutbox({ outbox: input.outbox, clock: input.clock }, { messenger: input.messenger, hooks, logger: input.logger });
        if (report.claimed > 0) input.logger.info({ job: OUTBOX_DRAIN_JOB, ...report }, 'outbox drained');
      },
    },
    {
      name: ESCALATION_SLA_JOB,
      cron: '15 * * * * *',
      leaseMs: 120_000,
      run: async () => {
        const report = await runSlaSweep(input.escalations);
        if (report.reminded + report.renoticed > 0) input.logger.info({ job: ESCALATION_SLA_JOB, ...report }, 'escalation SLA sweep');
      },
    },
  ];
}
