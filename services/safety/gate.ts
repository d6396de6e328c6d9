/**
 * A word gate for the rules path: a compiled pattern is only run when the message contains a word
 * it could start with. This is an optimisation only; it never changes a result.
 *
 * `firstWords(source)` reads a pattern's possible first words from its source. It is deliberately
 * conservative: it understands a leading `\b`, leading look-arounds, groups and alternations of
 * literal words, and gives up (returns null: "always run this pattern") on anything else — an
 * optional first group, a character class, `\w`, a pattern without a leading word boundary.
 * A first word is either exact ("cut" followed by a space or `\b`) or a prefix ("overdos…",
 * "kills?" → "kil…"), and tokens are maximal runs of [a-z0-9_], which is exactly where `\b` can
 * start a word in normalised text.
 */
export interface FirstWord {
  word: string;
  /** True when any token starting with `word` could begin a match. */
  prefix: boolean;
}

const WORD_CHAR = /[a-z0-9_]/;

/**
 * Walks a pattern source from `from`, skipping escapes and character classes, and calls `visit`
 * with each structural character, its index and the group depth after it; `visit` returning true
 * stops the walk. Returns the final depth and whether a class was left open.
 */
function walkStructure(
  source: string,
  from: number,
  visit: (c: string, i: number, depth: number) => boolean | void,
): { depth: number; openClass: boolean } {
  let depth = 0;
  let inClass = false;
  for (let i = from; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    if (visit(c, i, depth)) break;
  }
  return { depth, openClass: inClass };
}

/** Index of the `)` closing the group that opens at `open`, or -1. */
function closingParen(source: string, open: number): number {
  let close = -1;
  walkStructure(source, open, (c, i, depth) => {
    if (c === ')' && depth === 0) close = i;
    return close >= 0;
  });
  return close;
}

/** Splits on `|` at depth 0 (outside groups and classes), or null if the source is unbalanced. */
function splitAlternatives(source: string): string[] | null {
  const parts: string[] = [];
  let start = 0;
  let unbalanced = false;
  const end = walkStructure(source, 0, (c, i, depth) => {
    if (c === '|' && depth === 0) {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
    unbalanced = depth < 0;
    return unbalanced;
  });
  if (unbalanced || end.depth !== 0 || end.openClass) return null;
  parts.push(source.slice(start));
  return parts;
}

/** After a word: does the pattern require the word to end here (a space that is not optional, or `\b`)? */
function endsWord(rest: string): boolean {
  if (rest.startsWith('\\b')) return true;
  return rest[0] === ' ' && rest[1] !== '?' && rest[1] !== '*' && rest[1] !== '{';
}

function branchFirstWords(branch: string, boundary: boolean): FirstWord[] | null {
  let i = 0;
  let atBoundary = boundary;
  // Skip what matches no characters: \b and look-arounds. A leading space is a word boundary too.
  for (;;) {
    if (branch.startsWith('\\b', i)) {
      atBoundary = true;
      i += 2;
    } else if (branch.startsWith('(?<!', i) || branch.startsWith('(?<=', i) || branch.startsWith('(?!', i) || branch.startsWith('(?=', i)) {
      const end = closingParen(branch, i);
      if (end < 0) return null;
      i = end + 1;
    } else if (branch[i] === ' ') {
      atBoundary = true;
      i += 1;
    } else break;
  }
  if (!atBoundary || i >= branch.length) return null;

  if (branch[i] === '(') {
    const end = closingParen(branch, i);
    if (end < 0) return null;
    const innerStart = branch.startsWith('(?:', i) ? i + 3 : branch.startsWith('(?', i) ? -1 : i + 1;
    if (innerStart < 0) return null; // named groups and other (?…) forms: give up
    let after = end + 1;
    const quantifier = branch[after];
    if (quantifier === '?' || quantifier === '*' || quantifier === '{') return null; // the group may be skipped
    if (quantifier === '+') after += 1;
    const rest = branch.slice(after);
    const alternatives = splitAlternatives(branch.slice(innerStart, end));
    if (!alternatives) return null;
    const words: FirstWord[] = [];
    for (const alternative of alternatives) {
      const found = branchFirstWords(alternative, true);
      if (!found) return null;
      // A word that fills its whole alternative continues into whatever follows the group.
      for (const w of found) {
        const fillsAlternative = alternative.replace(/^(?:\\b)+/, '') === w.word;
        words.push(fillsAlternative ? { word: w.word, prefix: !endsWord(rest) } : w);
      }
    }
    return words;
  }

  let j = i;
  while (j < branch.length && WORD_CHAR.test(branch[j]!)) j++;
  let word = branch.slice(i, j);
  const next = branch[j];
  if (next === '?' || next === '*' || next === '{') {
    word = word.slice(0, -1); // the last letter is optional
    return word.length > 0 ? [{ word, prefix: true }] : null;
  }
  if (word.length === 0) return null;
  if (next === undefined) return [{ word, prefix: true }];
  return [{ word, prefix: !endsWord(branch.slice(j)) }];
}

/** The possible first words of a pattern, or null when it must always run. */
export function firstWords(source: string): FirstWord[] | null {
  const branches = splitAlternatives(source);
  if (!branches) return null;
  const words: FirstWord[] = [];
  for (const branch of branches) {
    const found = branchFirstWords(branch, false);
    if (!found) return null;
    words.push(...found);
  }
  return words.length > 0 ? words : null;
}
