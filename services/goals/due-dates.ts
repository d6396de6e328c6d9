import { addDays, addMonths } from '../content/catalog';

/**
 * When a goal step is due, read from what the young person typed or tapped: a UK date
 * ("14/03/2027", "14 March", "March 14th 2027", "2027-03-14"), or words ("tomorrow", "in two
 * weeks", "next Friday", "in a month"). `today` is the Europe/London date (YYYY-MM-DD). A date
 * without a year is the next one to come. Steps are set from today onwards: a day that has passed,
 * or one more than `MAX_DUE_YEARS` away, is refused with the reason, so the reply can say why.
 */
export const MAX_DUE_YEARS = 2;

export type DueDateParse = { ok: true; date: string } | { ok: false; problem: 'unclear' | 'past' | 'too-far' };

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  couple: 2,
  'a couple of': 2,
  few: 3,
  'a few': 3,
};

function ymd(y: number, m: number, d: number): string | null {
  if (!Number.isInteger(y) || m < 1 || m > 12 || d < 1) return null;
  if (d > new Date(Date.UTC(y, m, 0)).getUTCDate()) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function fullYear(year: string | undefined): number | undefined {
  if (year === undefined) return undefined;
  const n = Number(year);
  if (year.length === 2) return 2000 + n;
  return year.length === 4 ? n : Number.NaN;
}

/** A day and month, with the year if given; else this year's, or next year's once it has passed. */
function dayMonth(d: number, m: number, year: number | undefined, today: string): string | null {
  if (year !== undefined) return ymd(year, m, d);
  const thisYear = Number(today.slice(0, 4));
  const date = ymd(thisYear, m, d);
  if (date === null) return ymd(thisYear + 1, m, d); // 29 February
  return date < today ? ymd(thisYear + 1, m, d) : date;
}

function monthOf(word: string): number | undefined {
  if (word.length < 3) return undefined;
  const index = MONTHS.findIndex((name) => name.startsWith(word) || (word === 'sept' && name === 'september'));
  return index >= 0 ? index + 1 : undefined;
}

function weekdayOf(word: string): number | undefined {
  if (word.length < 3) return undefined;
  const index = WEEKDAYS.findIndex((name) => name.startsWith(word) || word === `${name.slice(0, 3)}s` || word === name.replace('day', ''));
  return index >= 0 ? index : undefined;
}

function amountOf(word: string): number | undefined {
  if (/^\d{1,3}$/.test(word)) return Number(word);
  return NUMBER_WORDS[word];
}

/** The date the words name, or null when they name none. */
function dateFrom(text: string, today: string): string | null {
  if (/^(today|tonight|later today)$/.test(text)) return today;
  if (/^(tomorrow|tmrw|tmr)$/.test(text)) return addDays(today, 1);
  if (text === 'day after tomorrow' || text === 'the day after tomorrow') return addDays(today, 2);
  if (text === 'next week') return addDays(today, 7);
  if (text === 'next month') return addMonths(today, 1);
  if (text === 'next year') return addMonths(today, 12);

  let match = /^in (a couple of|a few|an|a|\d{1,3}|[a-z]+) (day|week|fortnight|month)s?(?: time)?$/.exec(text) ?? /^(a couple of|a few|an|a|\d{1,3}|[a-z]+) (day|week|fortnight|month)s? from (?:now|today)$/.exec(text);
  if (match) {
    const n = amountOf(match[1]!);
    if (n === undefined) return null;
    const unit = match[2]!;
    if (unit === 'month') return addMonths(today, n);
    return addDays(today, n * (unit === 'day' ? 1 : unit === 'week' ? 7 : 14));
  }
  if (text === 'in a fortnight' || text === 'a fortnight') return addDays(today, 14);

  match = /^(?:on )?(this |next |this coming )?([a-z]+)$/.exec(text);
  if (match) {
    const day = weekdayOf(match[2]!);
    if (day === undefined) return null;
    const now = new Date(`${today}T00:00:00Z`).getUTCDay();
    const ahead = (day - now + 7) % 7 || 7;
    return addDays(today, ahead);
  }

  match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) return ymd(Number(match[1]), Number(match[2]), Number(match[3]));

  match = /^(?:on )?(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?$/.exec(text);
  if (match) return dayMonth(Number(match[1]), Number(match[2]), fullYear(match[3]), today);

  match = /^(?:on )?(?:the )?(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([a-z]+)(?: (\d{4}))?$/.exec(text);
  if (match) {
    const month = monthOf(match[2]!);
    return month === undefined ? null : dayMonth(Number(match[1]), month, fullYear(match[3]), today);
  }

  match = /^(?:on )?([a-z]+) (?:the )?(\d{1,2})(?:st|nd|rd|th)?(?: (\d{4}))?$/.exec(text);
  if (match) {
    const month = monthOf(match[1]!);
    return month === undefined ? null : dayMonth(Number(match[2]), month, fullYear(match[3]), today);
  }
  return null;
}

export function parseDueDate(input: string, today: string): DueDateParse {
  const text = input
    .trim()
    .toLowerCase()
    .replace(/[’‘']/g, '')
    .replace(/[,!]/g, ' ')
    .replace(/\.$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(?:by|before|for|on) (?=\S)/, '');
  if (!text || text.length > 60) return { ok: false, problem: 'unclear' };
  const date = dateFrom(text, today);
  if (date === null) return { ok: false, problem: 'unclear' };
  if (date < today) return { ok: false, problem: 'past' };
  if (date > addMonths(today, 12 * MAX_DUE_YEARS)) return { ok: false, problem: 'too-far' };
  return { ok: true, date };
}
