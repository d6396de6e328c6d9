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

// Formatting through Intl is slow and runs several times a turn; the date only changes at a minute boundary.
let cachedMinute = Number.NaN;
let cachedDate = '';

/** The calendar date in Europe/London as YYYY-MM-DD. */
export function londonDate(at: Date): string {
  const minute = Math.floor(at.getTime() / 60_000);
  if (minute !== cachedMinute) {
    cachedDate = londonDateFormat.format(at);
    cachedMinute = minute;
  }
  return cachedDate;
}
