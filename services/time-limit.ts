/**
 * `work`, or a rejection with `timedOut()`'s error after `ms`. The work itself goes on; its outcome
 * is then ignored. The timer never keeps the process alive.
 */
export function withinTime<T>(work: Promise<T>, ms: number, timedOut: (ms: number) => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(ms)), Math.max(0, ms));
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
