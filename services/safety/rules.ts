import { anyOf, ClauseGate, patternClauses, type Clause } from './prefilter';
import { SafetyLexiconError, type AboutConfig, type LexiconPart } from './schema';
import { noConcern, severityRank, type About, type Category, type ScreenResult, type Severity } from './types';

/**
 * The rules classifier. Its lexicon (content/safety/lexicon-*.yaml, one file per category plus a
 * core file) is moderated data; this file only compiles it (once) and applies it to normalised
 * text:
 *
 * 1. Neutralisers take idioms ("I'd kill for a pizza"), negations ("I'm not suicidal"),
 *    accidents ("cut myself shaving") and topic mentions ("homeless charity") out of the text,
 *    leaving an optional marker word that rules may match (e.g. negated risk -> medium).
 * 2. Every rule is tried; the highest severity wins. Inside a severity, categories follow
 *    CATEGORY_PRECEDENCE and then file order, so the first matching rule names the category.
 *    Reasons are rule ids, never text.
 * 3. `about` is read from the matched words ("kill himself" -> other, "hits me" -> self), then
 *    from the subject of the clause ("she said she is going to…"), then from the framing of the
 *    whole message ("I'm worried about my son…").
 */
export interface RulesClassifier {
  /** Classifies already-normalised text. */
  classify(normalised: string): ScreenResult;
  /** The text after neutralisers ran (for tests and tooling; never logged). */
  neutralise(normalised: string): string;
  readonly ruleCount: number;
  /** How many word gates (one per compiled pattern and one per rule) there are, and how many always run. */
  readonly gateStats: { patterns: number; alwaysRun: number };
  /** Rule ids by category (for tests and tooling). */
  readonly rulesByCategory: Readonly<Record<Exclude<Category, 'none'>, readonly string[]>>;
  /** Ids of the rules whose results the classifier never stands down (`neverStoodDown`). */
  readonly neverStoodDown: ReadonlySet<string>;
}

/**
 * When two rules of the same severity fire, the category named is the first of these: the one
 * whose reply and follow-up matter most (a safe-check for harm, housing help before money help).
 */
export const CATEGORY_PRECEDENCE: ReadonlyArray<Exclude<Category, 'none'>> = [
  'suicide_self_harm',
  'harm_from_others',
  'medical_emergency',
  'exploitation',
  'homelessness',
  'destitution',
  'mental_health',
];

interface CompiledRule {
  id: string;
  severity: Exclude<Severity, 'none'>;
  category: Exclude<Category, 'none'>;
  rank: number;
  atRisk: 'subject' | 'object';
  /** Word-gate id of the whole rule: live when any of its entries may be. */
  gate: number;
  /** The single-pattern entries, each with its word-gate id (the leftmost match wins, as in an alternation). */
  anys: Array<{ re: RegExp; gate: number }>;
  /** Conjunction entries: every regex must match (each with its word-gate id). */
  alls: Array<Array<{ re: RegExp; gate: number }>>;
  unless: RegExp | null;
  neverStoodDown: boolean;
}

/** Reason added when a topic neutraliser took words out beside a rule's match; never stood down. */
export const TOPIC_BESIDE_REASON = 'context.topic_beside';
/** The marker the topic neutralisers leave (`marker: topic` in content/safety/lexicon-core.yaml). */
const TOPIC_MARK = / topic /;

interface Neutraliser {
  re: RegExp;
  gate: number;
  replacement: string;
  /** When this matches, the neutraliser leaves the message alone (a disclosure beside a topic). */
  unless: RegExp | null;
}

export interface CompileOptions {
  /** Skip patterns whose first or required words are not in the message (default true; off only to test the gate). */
  gate?: boolean;
}

interface Span {
  start: number;
  words: string;
}

const MACRO_REF = /\{([a-z_]+)\}/g;
const MAX_MACRO_DEPTH = 8;

/** Collects faults as "file › field: message" and throws them all at once. */
class Problems {
  readonly list: Array<{ file: string; text: string }> = [];
  add(file: string, field: string, message: string): void {
    this.list.push({ file, text: `${file} › ${field}: ${message}` });
  }
  throwIfAny(fallbackFile: string): void {
    if (this.list.length === 0) return;
    const files = new Set(this.list.map((p) => p.file));
    const file = files.size === 1 ? [...files][0]! : fallbackFile;
    throw new SafetyLexiconError(
      file,
      this.list.map((p) => p.text),
    );
  }
}

export function compileRules(parts: readonly LexiconPart[], where = 'content/safety', options: CompileOptions = {}): RulesClassifier {
  const problems = new Problems();
  const useGate = options.gate ?? true;
  const gate = new ClauseGate();
  const clausesOf = (source: string): Clause[] => (useGate ? patternClauses(source) : []);

  // ---- macros, shared by every file
  const macros = new Map<string, { body: string; file: string }>();
  for (const part of parts) {
    for (const [name, body] of Object.entries(part.body.macros)) {
      const earlier = macros.get(name);
      if (earlier) problems.add(part.file, `macros.${name}`, `macro {${name}} is already defined in ${earlier.file}`);
      else macros.set(name, { body, file: part.file });
    }
  }

  const expand = (source: string, file: string, field: string, depth = 0): string => {
    if (depth > MAX_MACRO_DEPTH) {
      problems.add(file, field, 'macros nest too deeply (a macro refers to itself?)');
      return source;
    }
    return source.replace(MACRO_REF, (whole, name: string) => {
      const macro = macros.get(name);
      if (macro === undefined) {
        problems.add(file, field, `unknown macro {${name}}`);
        return whole;
      }
      return `(?:${expand(macro.body, macro.file, `macros.${name}`, depth + 1)})`;
    });
  };

  const compile = (source: string, flags: string, file: string, field: string): RegExp | null => {
    try {
      const re = new RegExp(source, flags);
      if (re.test('') || re.test(' ')) {
        problems.add(file, field, 'pattern matches an empty message, so it would match every message');
        return null;
      }
      re.lastIndex = 0;
      return re;
    } catch (error) {
      problems.add(file, field, `invalid regular expression: ${(error as Error).message}`);
      return null;
    }
  };
  const pattern = (source: string, file: string, field: string, flags = '') =>
    compile(expand(source, file, field), flags, file, field);
  /** Compiles each entry alone first (so an error names the exact entry), then one alternation. */
  const alternation = (entries: Array<{ source: string; file: string; field: string }>, file: string, field: string) => {
    if (entries.length === 0) return null;
    const sources = entries.map((e) => {
      const source = expand(e.source, e.file, e.field);
      compile(source, '', e.file, e.field);
      return `(?:${source})`;
    });
    return compile(sources.join('|'), '', file, field);
  };

  // ---- neutralisers, in file order
  const neutralisers: Neutraliser[] = [];
  for (const part of parts) {
    part.body.neutralise.forEach((n, i) => {
      const field = `neutralise.${i}.pattern`;
      const source = expand(n.pattern, part.file, field);
      const re = compile(source, 'g', part.file, field);
      const unless = alternation(
        n.unless.map((entry, u) => ({ source: entry, file: part.file, field: `neutralise.${i}.unless.${u}` })),
        part.file,
        `neutralise.${i}.unless`,
      );
      if (re) neutralisers.push({ re, gate: gate.register(clausesOf(source)), replacement: n.marker ? ` ${n.marker} ` : ' ', unless });
    });
  }

  // ---- about: exactly one file defines it
  const aboutParts = parts.filter((p) => p.body.about !== undefined);
  if (aboutParts.length === 0) {
    problems.add(parts[0]?.file ?? where, 'about', 'no lexicon file defines "about" (who a message is about)');
  } else if (aboutParts.length > 1) {
    for (const extra of aboutParts.slice(1)) {
      problems.add(extra.file, 'about', `"about" is already defined in ${aboutParts[0]!.file}`);
    }
  }
  const aboutFile = aboutParts[0]?.file ?? where;
  const aboutBody: AboutConfig | undefined = aboutParts[0]?.body.about;
  const about = aboutBody
    ? {
        firstPerson: pattern(aboutBody.firstPerson, aboutFile, 'about.firstPerson'),
        thirdPerson: pattern(aboutBody.thirdPerson, aboutFile, 'about.thirdPerson'),
        reporting: pattern(aboutBody.reporting, aboutFile, 'about.reporting', 'g'),
        agents: aboutBody.agents === undefined ? null : pattern(aboutBody.agents, aboutFile, 'about.agents', 'g'),
        subjectSelf: pattern(aboutBody.subjectSelf, aboutFile, 'about.subjectSelf', 'g'),
        subjectOther: pattern(aboutBody.subjectOther, aboutFile, 'about.subjectOther', 'g'),
        thirdParty: alternation(
          aboutBody.thirdParty.map((source, i) => ({ source, file: aboutFile, field: `about.thirdParty.${i}` })),
          aboutFile,
          'about.thirdParty',
        ),
      }
    : null;

  // ---- rules, unique ids across files
  const ruleFiles = new Map<string, string>();
  const rules: CompiledRule[] = [];
  for (const part of parts) {
    part.body.rules.forEach((rule, r) => {
      const earlier = ruleFiles.get(rule.id);
      if (earlier !== undefined && earlier !== part.file) {
        problems.add(part.file, `rules.${r}.id`, `rule id "${rule.id}" is already used in ${earlier}`);
      }
      ruleFiles.set(rule.id, part.file);
      const singles: Array<{ source: string; file: string; field: string }> = [];
      const alls: Array<Array<{ re: RegExp; gate: number }>> = [];
      /** Each entry's clauses (a conjunction needs those of all its parts), for the rule's gate. */
      const entryClauses: Clause[][] = [];
      rule.match.forEach((entry, m) => {
        if (typeof entry === 'string') {
          singles.push({ source: entry, file: part.file, field: `rules.${r}.match.${m}` });
        } else {
          const conj: Array<{ re: RegExp; gate: number }> = [];
          const conjClauses: Clause[] = [];
          entry.all.forEach((s, a) => {
            const field = `rules.${r}.match.${m}.all.${a}`;
            const source = expand(s, part.file, field);
            const re = compile(source, '', part.file, field);
            const clauses = clausesOf(source);
            conjClauses.push(...clauses);
            if (re) conj.push({ re, gate: gate.register(clauses) });
          });
          alls.push(conj);
          entryClauses.push(conjClauses);
        }
      });
      // Each entry alone, so the word gate can skip it; together they behave as one alternation.
      const anys: Array<{ re: RegExp; gate: number }> = [];
      for (const single of singles) {
        const source = expand(single.source, single.file, single.field);
        const re = compile(source, '', single.file, single.field);
        const clauses = clausesOf(source);
        entryClauses.push(clauses);
        if (re) anys.push({ re, gate: gate.register(clauses) });
      }
      rules.push({
        id: rule.id,
        severity: rule.severity,
        category: rule.category,
        rank: severityRank(rule.severity),
        atRisk: rule.atRisk,
        gate: gate.register(anyOf(entryClauses)),
        anys,
        alls,
        unless: alternation(
          rule.unless.map((source, u) => ({ source, file: part.file, field: `rules.${r}.unless.${u}` })),
          part.file,
          `rules.${r}.unless`,
        ),
        neverStoodDown: rule.neverStoodDown,
      });
    });
  }
  if (rules.length === 0 && parts.length > 0) problems.add(parts[0]!.file, 'rules', 'the lexicon has no rules at all');

  problems.throwIfAny(where);

  // Highest severity first, then category precedence; stable sort keeps file order after that.
  const precedence = (c: Exclude<Category, 'none'>) => CATEGORY_PRECEDENCE.indexOf(c);
  const ordered = [...rules].sort((a, b) => b.rank - a.rank || precedence(a.category) - precedence(b.category));

  const neverStoodDown = new Set([...rules.filter((rule) => rule.neverStoodDown).map((rule) => rule.id), TOPIC_BESIDE_REASON]);
  const keptRules = ordered.filter((rule) => rule.neverStoodDown);
  const rulesByCategory = Object.fromEntries(
    CATEGORY_PRECEDENCE.map((c) => [c, rules.filter((r) => r.category === c).map((r) => r.id)]),
  ) as unknown as Record<Exclude<Category, 'none'>, string[]>;

  // One scratch buffer: classify is synchronous, so it is never shared between two calls.
  const marks = gate.newMarks();

  /** Runs the neutralisers; leaves `marks` holding the clauses the result satisfies. */
  const neutraliseGated = (normalised: string): string => {
    let text = ` ${normalised} `;
    gate.mark(text, marks);
    for (const n of neutralisers) {
      if (!gate.live(n.gate, marks)) continue;
      n.re.lastIndex = 0;
      if (n.re.test(text) && !n.unless?.test(text)) {
        n.re.lastIndex = 0;
        text = text.replace(n.re, n.replacement);
        gate.mark(text, marks);
      }
    }
    return text;
  };

  /** Where in `text` the rule matched: the spans of the matched words. */
  const spansOf = (rule: CompiledRule, text: string): Span[] | null => {
    // Most rules have none of their words in a message: one check instead of one per entry.
    if (!gate.live(rule.gate, marks)) return null;
    let best: RegExpExecArray | null = null;
    for (const { re, gate: id } of rule.anys) {
      if (!gate.live(id, marks)) continue;
      const m = re.exec(text);
      if (m && (best === null || m.index < best.index)) best = m;
    }
    if (best) return [{ start: best.index, words: best[0] }];
    for (const conj of rule.alls) {
      const spans: Span[] = [];
      for (const { re, gate: id } of conj) {
        if (!gate.live(id, marks)) break;
        const m = re.exec(text);
        if (!m) break;
        spans.push({ start: m.index, words: m[0] });
      }
      if (spans.length === conj.length) return spans;
    }
    return null;
  };

  const lastIndexOf = (re: RegExp | null | undefined, text: string): number => {
    if (!re) return -1;
    re.lastIndex = 0;
    let last = -1;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      last = m.index;
      if (m[0].length === 0) re.lastIndex++;
    }
    return last;
  };

  const aboutOfSpan = (text: string, span: Span, atRisk: 'subject' | 'object'): About | null => {
    if (!about) return null;
    let words = ` ${span.words} `;
    if (about.reporting) {
      about.reporting.lastIndex = 0;
      words = words.replace(about.reporting, ' ');
    }
    if (atRisk === 'object' && about.agents) {
      about.agents.lastIndex = 0;
      words = words.replace(about.agents, ' ');
    }
    if (about.firstPerson?.test(words)) return 'self';
    if (about.thirdPerson?.test(words)) return 'other';
    // The subject of an `object` rule is whoever does the harm: it says nothing about the victim.
    if (atRisk === 'object') return null;
    const clauseStart = text.lastIndexOf(' . ', span.start);
    // Up to the matched words, not into them: their first letter would read "it", "if" as "i".
    const prefix = text.slice(clauseStart < 0 ? 0 : clauseStart + 3, span.start);
    const self = lastIndexOf(about.subjectSelf, prefix);
    const other = lastIndexOf(about.subjectOther, prefix);
    if (other > self) return 'other';
    if (self > other) return 'self';
    return null;
  };

  const classify = (normalised: string): ScreenResult => {
    if (typeof normalised !== 'string' || normalised.length === 0) return noConcern();
    const text = neutraliseGated(normalised);
    let bestRank = 0;
    const winners: Array<{ rule: CompiledRule; spans: Span[] }> = [];
    for (const rule of ordered) {
      if (rule.rank < bestRank) break;
      const spans = spansOf(rule, text);
      if (!spans) continue;
      if (rule.unless && rule.unless.test(text)) continue;
      bestRank = rule.rank;
      winners.push({ rule, spans });
    }
    if (winners.length === 0) return noConcern();
    // A never-stood-down rule below the winning severity still says so in the reasons, so that no
    // learned reading stands the whole result down ("...and my boyfriend choked me lol").
    const keptBelow: string[] = [];
    for (const rule of keptRules) {
      if (rule.rank >= bestRank || !spansOf(rule, text) || (rule.unless && rule.unless.test(text))) continue;
      keptBelow.push(rule.id);
    }

    let sawOther = false;
    let sawSelf = false;
    for (const w of winners) {
      for (const span of w.spans) {
        const who = aboutOfSpan(text, span, w.rule.atRisk);
        if (who === 'self') sawSelf = true;
        else if (who === 'other') sawOther = true;
      }
    }
    let who: About = 'self';
    if (!sawSelf && (sawOther || (about?.thirdParty != null && about.thirdParty.test(text)))) who = 'other';

    const top = winners[0]!.rule;
    return {
      severity: top.severity,
      category: top.category,
      // A topic taken out beside what the rules found ("the seminar on self harm was hard because my
      // carer kicked me out tonight"): the topic's words would make the classifier sure it is benign.
      reasons: [...winners.map((w) => w.rule.id), ...keptBelow, ...(TOPIC_MARK.test(text) ? [TOPIC_BESIDE_REASON] : [])],
      about: who,
      needsCrisisSignposting: top.severity === 'urgent',
    };
  };

  const neutralise = (normalised: string): string => neutraliseGated(normalised);

  return {
    classify,
    neutralise,
    ruleCount: rules.length,
    gateStats: { patterns: gate.patternCount, alwaysRun: gate.alwaysRun },
    rulesByCategory,
    neverStoodDown,
  };
}
