/** Dates as a young person reads them: "14 March 2027" (the calendar day, no time zone shift). */
const format = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

export function readableDate(isoDay: string): string {
  return format.format(new Date(`${isoDay}T00:00:00Z`));
}
