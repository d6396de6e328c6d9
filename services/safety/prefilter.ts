import { firstWords, type FirstWord } from './gate';

/**
 * A required-words prefilter for the rules path. For each compiled pattern it derives clauses of
 * words that every match must contain ("kill myself" needs a token `kill` AND a token `myself`;
 * `(?:pills|tablets)` needs one of them), and the rules path runs a pattern only when every one of
 * its clauses has a word in the message. This is an optimisation only: it never changes a result.
 *
 * The analysis is conservative. A token is a maximal run of [a-z0-9_] (as in gate.ts). A literal
 * word in a pattern yields a requirement only when the pattern forces a token to start there (a
 * `\b`, a space or other non-token character before it); it is exact when a token must also end
 * after it, else a prefix. Optional parts, look-arounds and anything the parser does not know
 * yield nothing, and a source it cannot parse yields no clauses (the pattern always runs).
 */
export type Clause = readonly FirstWord[];

type Node =
  | { kind: 'char'; ch: string }
  /** One character of a set (class, escape, dot); nonToken when it can never be a token character. */
  | { kind: 'set'; nonToken: boolean }
  | { kind: 'assert'; which: 'b' | 'B' | 'look' | 'anchor' }
  | { kind: 'group'; alts: Node[][] }
  | { kind: 'repeat'; node: Node; min: number };

class Unsupported extends Error {}

const TOKEN_CHAR = /^[a-z0-9_]$/;
const isTokenChar = (ch: string): boolean => TOKEN_CHAR.test(ch);
/** Escapes that stand for one character that is never a token character. */
const NON_TOKEN_ESCAPES = new Set(['s', 'W', 'n', 'r', 't', 'f', 'v', '0']);
/** Escapes that may stand for a token character. */
const MAYBE_TOKEN_ESCAPES = new Set(['d', 'D', 'w', 'S']);

/** A recursive-descent parser for the (non-unicode) JavaScript regex syntax the lexicon uses. */
class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node[][] {
    const alts = this.alternation();
    if (this.i !== this.src.length) throw new Unsupported('unbalanced )');
    return alts;
  }

  private alternation(): Node[][] {
    const alts: Node[][] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      items.push(this.quantified(atom));
    }
    return items;
  }

  private quantified(atom: Node): Node {
    const c = this.src[this.i];
    let min: number;
    if (c === '*' || c === '?') min = 0;
    else if (c === '+') min = 1;
    else if (c === '{') {
      const m = /^\{(\d+)(?:,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) throw new Unsupported('literal {');
      min = Number(m[1]);
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (this.src[this.i] === '?') this.i++; // lazy
    if (atom.kind === 'assert') throw new Unsupported('quantified assertion');
    return { kind: 'repeat', node: atom, min };
  }

  private atom(): Node {
    const c = this.src[this.i]!;
    if (c === '(') return this.group();
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape();
    this.i++;
    if (c === '.') return { kind: 'set', nonToken: false };
    if (c === '^' || c === '$') return { kind: 'assert', which: 'anchor' };
    if (c === '*' || c === '+' || c === '?' || c === '{' || c === '}' || c === ']') throw new Unsupported(`stray ${c}`);
    return { kind: 'char', ch: c };
  }

  private group(): Node {
    const rest = this.src.slice(this.i, this.i + 4);
    let look = false;
    if (rest.startsWith('(?:')) this.i += 3;
    else if (rest.startsWith('(?=') || rest.startsWith('(?!')) {
      this.i += 3;
      look = true;
    } else if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) {
      this.i += 4;
      look = true;
    } else if (rest.startsWith('(?')) throw new Unsupported('named group or modifier');
    else this.i += 1;
    const alts = this.alternation();
    if (this.src[this.i] !== ')') throw new Unsupported('unclosed group');
    this.i++;
    return look ? { kind: 'assert', which: 'look' } : { kind: 'group', alts };
  }

  private escape(): Node {
    const e = this.src[this.i + 1];
    this.i += 2;
    if (e === undefined) throw new Unsupported('trailing \\');
    if (e === 'b' || e === 'B') return { kind: 'assert', which: e };
    if (NON_TOKEN_ESCAPES.has(e)) return { kind: 'set', nonToken: true };
    if (MAYBE_TOKEN_ESCAPES.has(e)) return { kind: 'set', nonToken: false };
    if (/[a-zA-Z0-9]/.test(e)) throw new Unsupported(`escape \\${e}`); // back-references, \x, \u, \p, …
    return { kind: 'char', ch: e };
  }

  private charClass(): Node {
    this.i++;
    const negated = this.src[this.i] === '^';
    if (negated) this.i++;
    if (this.src[this.i] === ']') throw new Unsupported('empty class');
    let maybeToken = false;
    let prev: string | null = null; // the last single character, for ranges
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      let c = this.src[this.i]!;
      if (c === '-' && prev !== null && this.src[this.i + 1] !== ']') {
        this.i++;
        const hi = this.classChar();
        if (hi === null) throw new Unsupported('range to a class escape');
        if (rangeHasTokenChar(prev, hi)) maybeToken = true;
        prev = null;
        continue;
      }
      const single = this.classChar();
      if (single === null) {
        c = this.src[this.i - 1]!;
        if (MAYBE_TOKEN_ESCAPES.has(c)) maybeToken = true;
        else if (!NON_TOKEN_ESCAPES.has(c) && c !== 'b') throw new Unsupported(`class escape \\${c}`);
        prev = null;
      } else {
        if (isTokenChar(single)) maybeToken = true;
        prev = single;
      }
    }
    if (this.src[this.i] !== ']') throw new Unsupported('unclosed class');
    this.i++;
    return { kind: 'set', nonToken: !negated && !maybeToken };
  }

  /** One class member: a literal character, or null for an escape naming a set (\s, \d, \b, …). */
  private classChar(): string | null {
    const c = this.src[this.i]!;
    if (c !== '\\') {
      this.i++;
      return c;
    }
    const e = this.src[this.i + 1];
    this.i += 2;
    if (e === undefined) throw new Unsupported('trailing \\');
    if (/[a-zA-Z0-9]/.test(e)) return null;
    return e;
  }
}

function rangeHasTokenChar(lo: string, hi: string): boolean {
  const from = lo.charCodeAt(0);
  const to = hi.charCodeAt(0);
  const overlaps = (a: string, b: string) => from <= b.charCodeAt(0) && to >= a.charCodeAt(0);
  return overlaps('a', 'z') || overlaps('0', '9') || overlaps('_', '_');
}

// ---- shape facts about nodes

function nullable(node: Node): boolean {
  switch (node.kind) {
    case 'char':
    case 'set':
      return false;
    case 'assert':
      return true;
    case 'group':
      return node.alts.some((alt) => alt.every(nullable));
    case 'repeat':
      return node.min === 0 || nullable(node.node);
  }
}

/** Every non-empty match of the node starts (edge 'first') or ends ('last') with a non-token character. */
function edgeNonToken(node: Node, edge: 'first' | 'last'): boolean {
  switch (node.kind) {
    case 'char':
      return !isTokenChar(node.ch);
    case 'set':
      return node.nonToken;
    case 'assert':
      return true; // consumes nothing
    case 'group':
      return node.alts.every((alt) => seqEdgeNonToken(alt, edge));
    case 'repeat':
      return edgeNonToken(node.node, edge);
  }
}

function seqEdgeNonToken(items: readonly Node[], edge: 'first' | 'last'): boolean {
  const ordered = edge === 'first' ? items : [...items].reverse();
  for (const item of ordered) {
    if (item.kind === 'assert') continue;
    if (!edgeNonToken(item, edge)) return false;
    if (!nullable(item)) return true;
  }
  return true;
}

/**
 * "Start": a token character at this position would start a token. Holds after `\b`, after a
 * non-token character, and through zero-width assertions and skippable parts that end in one.
 */
function startAfter(item: Node, before: boolean): boolean {
  if (item.kind === 'assert') return item.which === 'b' ? true : item.which === 'look' ? before : false;
  return edgeNonToken(item, 'last') && (!nullable(item) || before);
}

/** "End": a token ending just before this position ends here. Mirror of startAfter. */
function endBefore(item: Node, after: boolean): boolean {
  if (item.kind === 'assert') return item.which === 'b' ? true : item.which === 'look' ? after : false;
  return edgeNonToken(item, 'first') && (!nullable(item) || after);
}

const isWordChar = (item: Node): item is { kind: 'char'; ch: string } => item.kind === 'char' && isTokenChar(item.ch);

function seqClauses(items: readonly Node[], startIn: boolean, endOut: boolean): Clause[] {
  const n = items.length;
  const start: boolean[] = [startIn];
  for (let i = 0; i < n; i++) start.push(startAfter(items[i]!, start[i]!));
  const end: boolean[] = new Array<boolean>(n + 1);
  end[n] = endOut;
  for (let i = n - 1; i >= 0; i--) end[i] = endBefore(items[i]!, end[i + 1]!);

  const clauses: Clause[] = [];
  for (let i = 0; i < n; ) {
    const item = items[i]!;
    if (isWordChar(item)) {
      let j = i;
      let word = '';
      for (; j < n && isWordChar(items[j]!); j++) word += (items[j] as { ch: string }).ch;
      if (start[i]) clauses.push([{ word, prefix: !end[j] }]);
      i = j;
      continue;
    }
    if (item.kind === 'group') clauses.push(...groupClauses(item.alts, start[i]!, end[i + 1]!));
    else if (item.kind === 'repeat' && item.min >= 1 && item.node.kind === 'group') {
      // Only the first repetition is read; another may follow it.
      clauses.push(...groupClauses(item.node.alts, start[i]!, end[i + 1]! && edgeNonToken(item.node, 'first')));
    }
    i++;
  }
  return clauses;
}

/** Longer words are rarer: a clause is as selective as its shortest word. */
function selectivity(clause: Clause): number {
  return Math.min(...clause.map((w) => w.word.length + (w.prefix ? 0 : 0.5)));
}

function groupClauses(alts: readonly Node[][], startIn: boolean, endOut: boolean): Clause[] {
  const perAlt = alts.map((alt) => seqClauses(alt, startIn, endOut));
  return perAlt.length === 1 ? perAlt[0]! : anyOf(perAlt);
}

/**
 * The clauses that hold whenever any one of several alternatives (each given by its clauses) can
 * match: one clause of the words of each alternative's most selective clause. None (always live)
 * when an alternative has no clause.
 */
export function anyOf(alternatives: ReadonlyArray<readonly Clause[]>): Clause[] {
  const words: FirstWord[] = [];
  for (const clauses of alternatives) {
    if (clauses.length === 0) return [];
    const best = clauses.reduce((a, b) => (selectivity(b) > selectivity(a) ? b : a));
    for (const w of best) if (!words.some((x) => x.word === w.word && x.prefix === w.prefix)) words.push(w);
  }
  return words.length > 0 ? [words] : [];
}

/** The clauses of words every match of `source` must contain; [] when none can be derived safely. */
export function requiredClauses(source: string): Clause[] {
  let alts: Node[][];
  try {
    alts = new Parser(source).parse();
  } catch (error) {
    if (error instanceof Unsupported) return [];
    throw error;
  }
  return groupClauses(alts, false, false);
}

/**
 * Everything the gate knows of a pattern: the words it can start with (gate.ts) and the words
 * every match needs. Each alone is safe, so both together are.
 */
export function patternClauses(source: string): Clause[] {
  const first = firstWords(source);
  const required = requiredClauses(source);
  return first ? [first, ...required] : required;
}

/** Token characters (a-z, 0-9, _) as 0…36; -1 for any other character. */
const ALPHABET = 37;
function tokenCode(c: number): number {
  if (c >= 97 && c <= 122) return c - 97;
  if (c >= 48 && c <= 57) return c - 48 + 26;
  return c === 95 ? 36 : -1;
}

/**
 * A trie of words: `next[node * ALPHABET + code]` is the child (-1: none); node 0 is the root.
 * The clauses of the word ending at `node` are `ids[bounds[2 * node] … bounds[2 * node + 1])` when
 * a token is exactly that word, and `ids[bounds[2 * node + 1] … bounds[2 * node + 2])` when a
 * token starts with it. Flat typed arrays: `mark` walks them once per character of every message.
 */
interface WordTrie {
  next: Int32Array;
  bounds: Int32Array;
  ids: Int32Array;
}

function buildTrie(exact: ReadonlyMap<string, number[]>, prefixes: ReadonlyMap<string, number[]>): WordTrie {
  const next: number[] = [];
  const exactIds: number[][] = [];
  const prefixIds: number[][] = [];
  const addNode = (): number => {
    for (let c = 0; c < ALPHABET; c++) next.push(-1);
    exactIds.push([]);
    prefixIds.push([]);
    return exactIds.length - 1;
  };
  addNode();
  /** The node of `word`, made as needed; -1 when it has a non-token character (no token can hold it). */
  const nodeOf = (word: string): number => {
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const code = tokenCode(word.charCodeAt(i));
      if (code < 0) return -1;
      const slot = node * ALPHABET + code;
      if (next[slot]! < 0) next[slot] = addNode();
      node = next[slot]!;
    }
    return node;
  };
  for (const [words, lists] of [[exact, exactIds], [prefixes, prefixIds]] as const) {
    for (const [word, ids] of words) {
      const node = nodeOf(word);
      if (node >= 0) lists[node] = ids;
    }
  }
  const bounds = new Int32Array(2 * exactIds.length + 1);
  const ids: number[] = [];
  for (let node = 0; node < exactIds.length; node++) {
    bounds[2 * node] = ids.length;
    ids.push(...exactIds[node]!);
    bounds[2 * node + 1] = ids.length;
    ids.push(...prefixIds[node]!);
  }
  bounds[2 * exactIds.length] = ids.length;
  return { next: Int32Array.from(next), bounds, ids: Int32Array.from(ids) };
}

/**
 * Maps the tokens of a text to the clauses they satisfy, and patterns to their clauses.
 * `live(pattern, marks)` is true when every clause of the pattern is satisfied (or it has none).
 */
export class ClauseGate {
  private readonly exact = new Map<string, number[]>();
  private readonly prefixes = new Map<string, number[]>();
  private readonly clauseIds = new Map<string, number>();
  private readonly patterns: Int32Array[] = [];
  /** The words as a trie over token characters, built on first use after a register. */
  private trie: WordTrie | null = null;

  /** Registers a pattern with its clauses (none: it always runs); returns the pattern's id. */
  register(clauses: readonly Clause[]): number {
    const ids = new Set<number>();
    for (const clause of clauses) {
      if (clause.length === 0) continue;
      const key = clause.map((w) => `${w.prefix ? '*' : '='}${w.word}`).sort().join(' ');
      let id = this.clauseIds.get(key);
      if (id === undefined) {
        id = this.clauseIds.size;
        this.clauseIds.set(key, id);
        for (const { word, prefix } of clause) {
          const map = prefix ? this.prefixes : this.exact;
          const list = map.get(word);
          if (!list) map.set(word, [id]);
          else if (!list.includes(id)) list.push(id);
        }
      }
      ids.add(id);
    }
    this.trie = null;
    this.patterns.push(Int32Array.from(ids));
    return this.patterns.length - 1;
  }

  get clauseCount(): number {
    return this.clauseIds.size;
  }

  get patternCount(): number {
    return this.patterns.length;
  }

  /** How many patterns have no clause (they run on every message). */
  get alwaysRun(): number {
    return this.patterns.filter((p) => p.length === 0).length;
  }

  /** A scratch buffer of clause marks for `mark` and `live`. */
  newMarks(): Uint8Array {
    this.trie ??= buildTrie(this.exact, this.prefixes); // at start-up rather than on the first message
    return new Uint8Array(Math.max(this.clauseIds.size, 1));
  }

  /**
   * Marks (afresh) the clauses satisfied by the tokens of `text` (its maximal runs of [a-z0-9_]):
   * each token walks the trie, marking the clauses of every prefix word it passes and, where it
   * ends, of the exact word. No strings are made: this runs several times per message.
   */
  mark(text: string, marks: Uint8Array): void {
    const { next, bounds, ids } = (this.trie ??= buildTrie(this.exact, this.prefixes));
    marks.fill(0);
    let node = -1; // the trie node of the token so far; -1 when it has left the trie
    let inToken = false;
    for (let i = 0; i <= text.length; i++) {
      const code = i < text.length ? tokenCode(text.charCodeAt(i)) : -1;
      if (code >= 0) {
        if (!inToken) {
          inToken = true;
          node = 0;
          for (let k = bounds[1]!; k < bounds[2]!; k++) marks[ids[k]!] = 1; // prefix words of length 0, if any
        }
        if (node >= 0) {
          node = next[node * ALPHABET + code]!;
          if (node >= 0) for (let k = bounds[2 * node + 1]!; k < bounds[2 * node + 2]!; k++) marks[ids[k]!] = 1;
        }
      } else if (inToken) {
        if (node >= 0) for (let k = bounds[2 * node]!; k < bounds[2 * node + 1]!; k++) marks[ids[k]!] = 1;
        inToken = false;
      }
    }
  }

  /** Could pattern `id` match a text whose clauses are in `marks`? */
  live(id: number, marks: Uint8Array): boolean {
    const clauses = this.patterns[id]!;
    for (let i = 0; i < clauses.length; i++) if (marks[clauses[i]!] === 0) return false;
    return true;
  }
}
