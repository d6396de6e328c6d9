import { withinTime } from '../time-limit';
import { DEFAULT_QUIET_HOURS, isQuietHours, quietHoursEnd, type QuietHours } from '../escalations/london-time';
import type { Logger } from '../logging';
import {
  DeadReferenceError,
  PermanentSendError,
  RetryableSendError,
  type Messenger,
} from '../messaging/messenger';
import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff';
import type { OutboxDeps } from './enqueue';
import { toOutboundMessage, type FailureReason, type OutboxRow } from './outbox-repository';

/**
 * Delivery guarantee (stated honestly):
 *
 * - **At least once.** A row is claimed with a lease (`leaseUntil`, an explicit timestamp). If the
 *   claimer crashes before it records the outcome, the lease expires and another sweep sends it.
 *   Nothing enqueued is lost: it ends `sent`, or `failed` with a reason, and stays listed.
 * - **No duplicates from the outbox itself.** The idempotency key is the row id, so a message is
 *   enqueued once; claims are atomic (`findOneAndUpdate`), so two sweeps never hold one row;
 *   outcomes are fenced by the lease id, so a stale claimer changes nothing; and a send is
 *   abandoned (`sendTimeoutMs`) well before its lease could expire.
 * - **The one window left:** a crash after the channel accepted the message and before `sent` is
 *   written (a few milliseconds) means it is sent again after the lease expires. The idempotency
 *   key goes to the Messenger on every attempt so a channel that de-duplicates can drop it; Teams
 *   does not, so an adviser may, rarely, see a notice twice. For a safeguarding notice a duplicate
 *   is the safe side of that trade.
 *
 * **Quiet hours (Europe/London, 21:00–08:00 by default).** Reminders, nudges and check-in prompts
 * claimed in quiet hours are put back, due when the quiet hours end (spread over a few minutes),
 * without spending an attempt: deferred, never dropped. Safeguarding notices to advisers
 * (`escalation.*` topics) are never held.
 *
 * **403 on a safeguarding notice.** A 403 that the Messenger reports as retryable (an admin switched
 * the bot off, a permission problem, a 403 with no code) fails an `escalation.*` row at once with
 * reason `rejected`: the reference is kept (only `dead-reference` forgets it) and `onUndeliverable`
 * sends the duty-team fallback now rather than after the whole backoff. Other topics retry it.
 */
export interface DrainHooks {
  onDelivered?(row: OutboxRow): Promise<void>;
  onUndeliverable?(row: OutboxRow, reason: FailureReason): Promise<void>;
}

export interface DrainOptions {
  messenger: Messenger;
  logger?: Logger;
  hooks?: DrainHooks;
  /** Most rows handled in one run (keeps a run short and under Teams' rate limits). */
  limit?: number;
  leaseMs?: number;
  /** Must be well under `leaseMs`. */
  sendTimeoutMs?: number;
  backoff?: BackoffPolicy;
  random?: () => number;
  /** Quiet hours for topics that wait (default 21:00–08:00 London); `null` turns them off. */
  quietHours?: QuietHours | null;
  /** Which topics wait out quiet hours (default: everything but safeguarding topics). */
  waitsInQuietHours?: (topic: string) => boolean;
  /** Deferred rows become due within this long after quiet hours end (default 10 minutes). */
  quietSpreadMs?: number;
}

/** Topics that are never held: a concern reaches its adviser at any hour. */
export function isSafeguardingTopic(topic: string): boolean {
  return topic.startsWith('escalation.');
}

export interface DrainReport {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  lostLeases: number;
  throttled: boolean;
  /** Held until quiet hours end. */
  deferred: number;
}

export const DEFAULT_LEASE_MS = 60_000;
export const DEFAULT_SEND_TIMEOUT_MS = 20_000;

class SendTimeoutError extends Error {
  override readonly name = 'SendTimeoutError';
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return withinTime(work, ms, (limit) => new SendTimeoutError(`no answer in ${limit} ms`));
}

function describe(error: unknown): OutboxRow['lastError'] {
  if (error instanceof RetryableSendError || error instanceof PermanentSendError) return { kind: error.name, status: error.status };
  if (error instanceof DeadReferenceError) return { kind: error.name, status: error.status };
  return { kind: error instanceof Error ? error.name : 'UnknownError', status: null };
}

/** One sweep of the outbox. Safe to run on many instances at once. */
export async function drainOutbox(deps: OutboxDeps, options: DrainOptions): Promise<DrainReport> {
  const { outbox, clock } = deps;
  const limit = options.limit ?? 25;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const sendTimeoutMs = Math.min(options.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS, Math.floor(leaseMs / 2));
  const policy = options.backoff ?? defaultBackoff;
  const random = options.random ?? Math.random;
  const logger = options.logger;
  const report: DrainReport = { claimed: 0, sent: 0, retried: 0, failed: 0, lostLeases: 0, throttled: false, deferred: 0 };
  const quietHours = options.quietHours === undefined ? DEFAULT_QUIET_HOURS : options.quietHours;
  const waits = options.waitsInQuietHours ?? ((topic: string) => !isSafeguardingTopic(topic));
  const quietSpreadMs = options.quietSpreadMs ?? 10 * 60_000;

  const throttledUntil = await outbox.throttledUntil();
  if (throttledUntil && throttledUntil.getTime() > clock.now().getTime()) {
    report.throttled = true;
    return report;
  }

  const runHook = async (name: string, hook: () => Promise<void>) => {
    try {
      await hook();
    } catch (error) {
      logger?.error({ err: error, hook: name }, 'outbox hook failed');
    }
  };

  const fail = async (row: OutboxRow, reason: FailureReason, lastError: OutboxRow['lastError']) => {
    const owned = await outbox.markFailed(row, clock.now(), reason, lastError);
    if (!owned) {
      report.lostLeases += 1;
      return;
    }
    report.failed += 1;
    logger?.error({ outboxId: row._id, topic: row.topic, reason, attempts: row.attempts, lastError }, 'outbox message undeliverable');
    if (options.hooks?.onUndeliverable) await runHook('onUndeliverable', () => options.hooks!.onUndeliverable!(row, reason));
  };

  while (report.claimed < limit) {
    const row = await outbox.claimNext(clock.now(), leaseMs);
    if (!row) break;
    report.claimed += 1;

    const claimedAt = clock.now();
    if (quietHours && waits(row.topic) && isQuietHours(claimedAt, quietHours)) {
      // Deferred, not dropped: due again when the quiet hours end, and the claim costs no attempt.
      const due = new Date(quietHoursEnd(claimedAt, quietHours).getTime() + Math.round(quietSpreadMs * random()));
      if (await outbox.release(row, claimedAt, due, row.lastError, { refundAttempt: true })) report.deferred += 1;
      else report.lostLeases += 1;
      continue;
    }

    if (row.attempts > row.maxAttempts || !row.message) {
      await fail(row, 'attempts-exhausted', row.lastError);
      continue;
    }

    try {
      await withTimeout(options.messenger.send(row.recipient, toOutboundMessage(row.message), { idempotencyKey: row._id }), sendTimeoutMs);
    } catch (error) {
      const lastError = describe(error);
      if (error instanceof DeadReferenceError) {
        await fail(row, 'dead-reference', lastError);
        continue;
      }
      if (error instanceof PermanentSendError) {
        await fail(row, 'rejected', lastError);
        continue;
      }
      if (error instanceof RetryableSendError && error.status === 403 && isSafeguardingTopic(row.topic)) {
        // A 403 that does not mean "bot removed" (an admin switched the bot off, a permission
        // problem, no code): the reference is kept, but a safeguarding notice must not wait out
        // eight backoff attempts before the duty team hears of it. Fail it now ('rejected', not
        // 'dead-reference', so the reference is not forgotten) and the duty fallback runs now.
        await fail(row, 'rejected', lastError);
        continue;
      }
      const now = clock.now();
      if (error instanceof RetryableSendError && error.throttled) {
        // 429: everyone backs off, and this attempt does not count against the message.
        const wait = Math.max(error.retryAfterMs ?? 0, backoffDelay(2, policy, random));
        const until = new Date(now.getTime() + wait);
        await outbox.throttle(until, now);
        const jittered = new Date(until.getTime() + Math.round(policy.baseMs * random()));
        if (!(await outbox.release(row, now, jittered, lastError, { refundAttempt: true }))) report.lostLeases += 1;
        else report.retried += 1;
        report.throttled = true;
        logger?.warn({ outboxId: row._id, waitMs: wait }, 'channel throttled (429): outbox paused');
        break;
      }
      // Retryable (412, 502, 504, network, timeout) or unknown: back off, bounded.
      if (row.attempts >= row.maxAttempts) {
        await fail(row, 'attempts-exhausted', lastError);
        continue;
      }
      const next = new Date(now.getTime() + backoffDelay(row.attempts, policy, random));
      if (await outbox.release(row, now, next, lastError)) {
        report.retried += 1;
        logger?.warn({ outboxId: row._id, attempts: row.attempts, lastError }, 'outbox send failed; will retry');
      } else {
        report.lostLeases += 1;
      }
      continue;
    }

    if (await outbox.markSent(row, clock.now())) {
      report.sent += 1;
      if (options.hooks?.onDelivered) await runHook('onDelivered', () => options.hooks!.onDelivered!(row));
    } else {
      report.lostLeases += 1;
      logger?.warn({ outboxId: row._id }, 'outbox lease was taken over before the send was recorded');
    }
  }
  return report;
}
