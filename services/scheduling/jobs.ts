import cron, { type RunCoordinator, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logging';
import { errorSummary, stackFrames } from '../error-summary';

/**
 * Background jobs on node-cron, each `distributed` through a store-backed `RunCoordinator`, so a
 * slot runs on one instance only. Times are Europe/London (matters for daily jobs, not for these).
 */
export interface JobSpec {
  /** Unique, no ':' (it is the coordination key prefix). */
  name: string;
  /** node-cron pattern; six fields allow seconds. */
  cron: string;
  /** How long a run may hold its slot before another instance may assume it crashed. */
  leaseMs: number;
  run: () => Promise<unknown>;
}

export interface RunningJobs {
  stop(): Promise<void>;
}

function cronLogger(logger: Logger) {
  return {
    info: (message: string) => logger.debug({ component: 'cron' }, message),
    warn: (message: string) => logger.warn({ component: 'cron' }, message),
    error: (message: string | Error, err?: Error) =>
      logger.error({ component: 'cron', error: errorSummary(err ?? message), frames: stackFrames(err ?? message) }, typeof message === 'string' ? message : 'cron error'),
    debug: (message: string | Error) => logger.trace({ component: 'cron' }, typeof message === 'string' ? message : message.message),
  };
}

export function startJobs(specs: readonly JobSpec[], options: { coordinator: RunCoordinator; logger: Logger }): RunningJobs {
  const tasks: ScheduledTask[] = [];
  const inFlight = new Set<Promise<unknown>>();
  for (const spec of specs) {
    if (spec.name.includes(':')) throw new Error(`job name "${spec.name}" must not contain ':'`);
    const task = cron.schedule(
      spec.cron,
      async () => {
        const running = spec.run().catch((error: unknown) => {
          // jobs handle young people's records: log where it failed, never what the error quotes
          options.logger.error({ error: errorSummary(error), frames: stackFrames(error), job: spec.name }, 'scheduled job failed');
        });
        inFlight.add(running);
        try {
          await running;
        } finally {
          inFlight.delete(running);
        }
      },
      {
        name: spec.name,
        timezone: 'Europe/London',
        noOverlap: true,
        distributed: true,
        runCoordinator: options.coordinator,
        distributedLease: spec.leaseMs,
        suppressMissedWarning: true,
        logger: cronLogger(options.logger),
      },
    );
    tasks.push(task);
  }
  return {
    async stop() {
      for (const task of tasks) await task.destroy();
      await Promise.all([...inFlight]);
    },
  };
}
