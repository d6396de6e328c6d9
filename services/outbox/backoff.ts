/**
 * Exponential backoff with jitter: attempt n waits about base·2^(n-1), capped, then scaled by a
 * random factor in [1 - jitter, 1], so instances that failed together do not retry together.
 */
export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
  /** 0..1: the share of the delay that is randomised. */
  jitter: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 5_000, capMs: 30 * 60_000, jitter: 0.5 };

export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const raw = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 30));
  const factor = 1 - policy.jitter * random();
  return Math.max(1, Math.round(raw * factor));
}
