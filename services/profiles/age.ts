import { addDays } from '../content/catalog';
import type { Birth } from './profile';

/** The youngest and oldest ages Tribe is made for (care leavers, 16 to 25). */
export const MIN_AGE = 16;
export const MAX_AGE = 25;

export type BirthParse =
  | { ok: true; birth: Birth }
  | { ok: false; problem: 'unclear' | 'too-young' | 'too-old' };

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const AGE_WORDS: Record<string, number> = {
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  'twenty one': 21,
  'twenty two': 22,
  'twenty three': 23,
  'twenty four': 24,
  'twenty five': 25,
};

interface Ymd {
  y: number;
  m: number;
  d: number;
}

function parseIso(date: string): Ymd {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return { y, m, d };
}

function formatYmd({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function isRealDate({ y, m, d }: Ymd): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Adds whole years; 29 February becomes 28 February in a year that has no leap day. */
export function addYears(date: string, years: number): string {
  const { y, m, d } = parseIso(date);
  const target = { y: y + years, m, d };
  if (!isRealDate(target)) target.d = 28;
  return formatYmd(target);
}

function wholeYearsBetween(from: string, to: string): number {
  const a = parseIso(from);
  const b = parseIso(to);
  let years = b.y - a.y;
  if (b.m < a.m || (b.m === a.m && b.d < a.d)) years -= 1;
  return years;
}

/** Their age on `today` (YYYY-MM-DD). With only an age given, it grows from the day they gave it. */
export function ageOn(birth: Birth, today: string): number {
  if (birth.kind === 'dob') return wholeYearsBetween(birth.dateOfBirth, today);
  return birth.age + Math.max(0, wholeYearsBetween(birth.on, today));
}

/**
 * The day they reach `age`. With a date of birth it is exact; with only an age it is the earliest
 * day it could be, so that a reminder is early rather than late.
 */
export function dateOfReachingAge(birth: Birth, age: number): string {
  if (birth.kind === 'dob') return addYears(birth.dateOfBirth, age);
  // Aged `birth.age` on `on`: the next birthday is at the earliest the day after `on`.
  return addDays(addYears(birth.on, age - birth.age - 1), 1);
}

function checkRange(birth: Birth, today: string): BirthParse {
  const age = ageOn(birth, today);
  if (age < MIN_AGE) return { ok: false, problem: 'too-young' };
  if (age > MAX_AGE) return { ok: false, problem: 'too-old' };
  return { ok: true, birth };
}

function dob(y: number, m: number, d: number, today: string): BirthParse {
  const date = { y, m, d };
  if (!isRealDate(date) || formatYmd(date) > today) return { ok: false, problem: 'unclear' };
  return checkRange({ kind: 'dob', dateOfBirth: formatYmd(date) }, today);
}

/**
 * Reads an age ("19", "I'm 19", "nineteen") or a UK date of birth ("14/03/2007", "14 March 2007",
 * "2007-03-14") from what the young person typed. `today` is the Europe/London date.
 */
export function parseBirth(input: string, today: string): BirthParse {
  const text = input.trim().toLowerCase().replace(/[,]/g, ' ').replace(/\s+/g, ' ');
  if (!text) return { ok: false, problem: 'unclear' };

  let match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  if (match) return dob(Number(match[1]), Number(match[2]), Number(match[3]), today);

  match = /(?:^|\s)(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:$|\s)/.exec(text);
  if (match) return dob(Number(match[3]), Number(match[2]), Number(match[1]), today);

  match = /(?:^|\s)(\d{1,2})(?:st|nd|rd|th)?(?: of)? ([a-z]{3,9}) (\d{4})(?:$|\s)/.exec(text);
  if (match) {
    const month = MONTHS.findIndex((name) => name.startsWith(match![2]!) && match![2]!.length >= 3);
    if (month >= 0) return dob(Number(match[3]), month + 1, Number(match[1]), today);
    return { ok: false, problem: 'unclear' };
  }

  const words = text.replace(/-/g, ' ').replace(/[^a-z0-9' ]/g, '');
  const ageNumbers = [...words.matchAll(/(?:^|\s)(\d{1,3})(?=$|\s)/g)].map((m) => Number(m[1]));
  let age: number | undefined;
  if (ageNumbers.length === 1) age = ageNumbers[0];
  if (age === undefined) {
    const spelled = Object.keys(AGE_WORDS)
      .sort((a, b) => b.length - a.length)
      .find((word) => new RegExp(`(?:^|\\s)${word}(?:$|\\s)`).test(words));
    if (spelled) age = AGE_WORDS[spelled];
  }
  if (age === undefined || age < 5 || age > 120) return { ok: false, problem: 'unclear' };
  return checkRange({ kind: 'age', age, on: today }, today);
}
