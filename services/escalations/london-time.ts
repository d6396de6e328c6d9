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

/**
 * Quiet hours, Europe/London local time: from `startHour`:00 until `endHour`:00 (across midnight
 * when start > end). Nudges, reminders and check-in prompts wait until they end; safeguarding
 * notices to advisers never wait (DESIGN.md rule 6).
 */
export interface QuietHours {
  startHour: number;
  endHour: number;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { startHour: 21, endHour: 8 };

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
  hourCycle: 'h23',
});

interface LondonParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function londonParts(at: Date): LondonParts {
  const out: Record<string, number> = {};
  for (const part of parts.formatToParts(at)) if (part.type !== 'literal') out[part.type] = Number(part.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

/** London's offset from UTC (ms) at an instant: 0 in winter (GMT), 1 h in summer (BST). */
function londonOffsetMs(at: Date): number {
  const p = londonParts(at);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant of a London wall-clock time (clock changes happen at 01:00–02:00, never at whole hours we use). */
function londonWallTime(year: number, month: number, day: number, hour: number): Date {
  const guess = Date.UTC(year, month - 1, day, hour);
  let instant = guess - londonOffsetMs(new Date(guess));
  instant = guess - londonOffsetMs(new Date(instant));
  return new Date(instant);
}

export function isQuietHours(at: Date, quiet: QuietHours = DEFAULT_QUIET_HOURS): boolean {
  if (quiet.startHour === quiet.endHour) return false;
  const { hour } = londonParts(at);
  return quiet.startHour > quiet.endHour ? hour >= quiet.startHour || hour < quiet.endHour : hour >= quiet.startHour && hour < quiet.endHour;
}

/** When the quiet hours containing `at` end (`at` itself when it is not in quiet hours). */
export function quietHoursEnd(at: Date, quiet: QuietHours = DEFAULT_QUIET_HOURS): Date {
  if (!isQuietHours(at, quiet)) return at;
  const p = londonParts(at);
  const today = londonWallTime(p.year, p.month, p.day, quiet.endHour);
  if (today.getTime() > at.getTime()) return today;
  // After the evening start: tomorrow morning (calendar arithmetic in UTC, then London wall time).
  const tomorrow = new Date(Date.UTC(p.year, p.month - 1, p.day + 1));
  return londonWallTime(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate(), quiet.endHour);
}
