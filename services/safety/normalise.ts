import { ClauseGate, patternClauses } from './prefilter';
import { SafetyLexiconError, type NormalisationBody } from './schema';

/**
 * Turns what a young person typed into the plain form the rules are written against:
 * lower case, no accents, no emoji noise or control characters, stretched letters collapsed,
 * texting forms / algospeak / contractions / misspellings expanded, and sentence punctuation
 * turned into a " . " clause mark. Words are separated by single spaces.
 *
 * The tables are moderated data (content/safety/normalisation.yaml); this file holds only the
 * mechanics. Everything is compiled once; `normalise` itself is allocation-light and linear.
 */
export type Normalise = (text: unknown) => string;

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

// Characters removed or spaced before tokenising. Compiled once.
const COMBINING_MARKS = /\p{M}+/gu;
const APOSTROPHES = /[\u2018\u2019\u201A\u201B\u02BC\u02BB\u0060\u00B4\u2032]/g;
const LINE_BREAKS = /[\n\r\u000B\u000C\u0085\u2028\u2029]+/g;
const TABS = /\t+/g;
// Other control characters, zero-width and bidi-control characters carry no meaning and can be
// slipped inside a word ("k\u200Bms"), so they are removed outright.
const INVISIBLE = /[\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF\u00AD]/g;
const CLAUSE_MARKS = /[.!?;:,\u2026\u3002\uFF01\uFF1F]+/g;
const NOT_WORD = /[^\p{L}\p{N}' .]+/gu;
const LETTER_RUN = /(\p{L})\1{2,}/gu;
const SPACES = / +/g;
// Printable ASCII holds nothing that NFKD, the mark, invisible, tab or line-break passes change.
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * `text.replace(re, by)`, but only when `probe` (a pattern that matches wherever `re` does, such
 * as `re` without `g`) finds something: most messages hold none of these characters, and a global
 * replace that finds nothing costs several times a test.
 */
function replaceIfAny(text: string, re: RegExp, probe: RegExp, by: string | ((match: string) => string)): string {
  if (!probe.test(text)) return text;
  // Two calls only because TypeScript's overloads take a string or a function, not the union.
  return typeof by === 'string' ? text.replace(re, by) : text.replace(re, by);
}
const probeOf = (re: RegExp): RegExp => new RegExp(re.source, re.flags.replace('g', ''));
const LINE_BREAK = probeOf(LINE_BREAKS);
const CLAUSE_MARK = probeOf(CLAUSE_MARKS);
const NOT_WORD_CHAR = probeOf(NOT_WORD);

/** True when `token` has a character repeated three times in a row (LETTER_RUN needs one). */
function hasTripleRun(token: string): boolean {
  for (let i = 2; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === token.charCodeAt(i - 1) && c === token.charCodeAt(i - 2)) return true;
  }
  return false;
}

export function createNormaliser(table: NormalisationBody, file = 'content/safety/normalisation.yaml'): Normalise {
  const keepDouble = new Set(table.repeats.keepDouble.split(''));
  const keepDoubleAtEnd = new Set((table.repeats.keepDoubleAtEnd ?? table.repeats.keepDouble).split(''));
  const words = new Map<string, string>(Object.entries(table.words));

  const symbolKeys = Object.keys(table.symbols).sort((a, b) => b.length - a.length);
  const symbols =
    symbolKeys.length === 0
      ? null
      : new RegExp(symbolKeys.map((k) => k.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'gu');
  const symbolProbe = symbols && probeOf(symbols);

  const leetChars = Object.keys(table.leet);
  const leetClass = `[${leetChars.map((c) => c.replace(/[\]\\^-]/g, '\\$&')).join('')}]`;
  const leet = leetChars.length === 0 ? null : new RegExp(`(?<=\\p{L})${leetClass}+(?=\\p{L})`, 'gu');
  // Any leet character at all: cheaper than the look-arounds, and needed for any match.
  const leetProbe = leet && new RegExp(leetClass, 'u');

  // Phrases run only when the text has the words they need (an optimisation; see prefilter.ts).
  const phraseGate = new ClauseGate();
  const problems: string[] = [];
  const phrases = table.phrases.map((phrase, index) => {
    try {
      const re = new RegExp(phrase.from, 'g');
      if (re.test('') || re.test(' ')) problems.push(`${file} › normalisation.phrases.${index}.from: pattern matches an empty message`);
      return { re, to: phrase.to, gate: phraseGate.register(patternClauses(phrase.from)) };
    } catch (error) {
      problems.push(`${file} › normalisation.phrases.${index}.from: invalid regular expression: ${(error as Error).message}`);
      return { re: /(?!)/g, to: phrase.to, gate: phraseGate.register([]) };
    }
  });
  if (problems.length > 0) throw new SafetyLexiconError(file, problems);
  // One scratch buffer: normalise is synchronous, so it is never shared between two calls.
  const marks = phraseGate.newMarks();

  const collapseRun = (run: string, letter: string, offset: number, token: string): string => {
    const atEnd = offset + run.length === token.length;
    if (atEnd) return keepDoubleAtEnd.has(letter) && !VOWELS.has(letter) ? letter + letter : letter;
    return keepDouble.has(letter) ? letter + letter : letter;
  };

  const mapToken = (raw: string): string => {
    let token = raw;
    // trim apostrophes at the edges ("'cause", "goin'")
    while (token.startsWith("'")) token = token.slice(1);
    while (token.endsWith("'")) token = token.slice(0, -1);
    if (token === '') return '';
    if (token.length > 2 && hasTripleRun(token)) token = token.replace(LETTER_RUN, collapseRun);
    const exact = words.get(token);
    if (exact !== undefined) return exact;
    if (token.includes("'")) {
      const bare = token.replace(/'/g, '');
      const mapped = words.get(bare);
      return mapped !== undefined ? mapped : bare;
    }
    return token;
  };

  return function normalise(input: unknown): string {
    if (typeof input !== 'string' || input.length === 0) return '';
    let s: string;
    if (PRINTABLE_ASCII.test(input)) {
      s = input.toLowerCase();
      if (s.includes('`')) s = s.replace(APOSTROPHES, "'");
    } else {
      s = input.normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase();
      s = s.replace(APOSTROPHES, "'").replace(INVISIBLE, '').replace(TABS, ' ');
    }
    if (symbols && symbolProbe) s = replaceIfAny(s, symbols, symbolProbe, (m) => table.symbols[m] ?? ' ');
    s = replaceIfAny(s, LINE_BREAKS, LINE_BREAK, ' . ');
    if (leet && leetProbe) s = replaceIfAny(s, leet, leetProbe, (m) => Array.from(m, (c) => table.leet[c] ?? c).join(''));
    s = replaceIfAny(s, CLAUSE_MARKS, CLAUSE_MARK, ' . ');
    s = replaceIfAny(s, NOT_WORD, NOT_WORD_CHAR, ' ');

    const out: string[] = [];
    let lastWasMark = true; // drop leading clause marks and repeats
    // The words of s.split(' '), without the array.
    for (let from = 0, end = 0; from < s.length; from = end + 1) {
      end = s.indexOf(' ', from);
      if (end < 0) end = s.length;
      if (end === from) continue;
      const raw = s.slice(from, end);
      if (raw === '.') {
        if (!lastWasMark) out.push('.');
        lastWasMark = true;
        continue;
      }
      const mapped = mapToken(raw);
      if (mapped === '') continue;
      out.push(mapped);
      lastWasMark = false;
    }
    while (out.length > 0 && out[out.length - 1] === '.') out.pop();

    let text = out.join(' ');
    phraseGate.mark(text, marks);
    for (const phrase of phrases) {
      if (!phraseGate.live(phrase.gate, marks)) continue;
      phrase.re.lastIndex = 0;
      if (phrase.re.test(text)) {
        phrase.re.lastIndex = 0;
        text = text.replace(phrase.re, phrase.to);
        phraseGate.mark(text, marks);
      }
    }
    return text.indexOf('  ') >= 0 ? text.replace(SPACES, ' ').trim() : text;
  };
}
