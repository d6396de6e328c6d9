/** Time is injected so that sweeps, SLAs and review dates can be tested with a fake clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const londonDateFormat = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The calendar date in Europe/London as YYYY-MM-DD. */
export function londonDate(at: Date): string {
  return londonDateFormat.format(at);
}
