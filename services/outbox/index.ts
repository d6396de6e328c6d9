export { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff';
export { drainOutbox, type DrainHooks, type DrainOptions, type DrainReport } from './drain';
export { enqueueMessage, DEFAULT_MAX_ATTEMPTS, type EnqueueInput, type OutboxDeps } from './enqueue';
export { OutboxRepository, type FailureReason, type OutboxRow, type OutboxStatus } from './outbox-repository';
