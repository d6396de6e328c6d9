/** Times shown to people are Europe/London, e.g. "Tue 3 Jun 2025, 14:05". */
const format = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function londonDateTime(iso: string): string {
  return format.format(new Date(iso));
}
