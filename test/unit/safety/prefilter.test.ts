import fs from 'node:fs';
import path from 'node:path';
import { parseEvalSet } from '../../../services/safety/evaluate';
import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';
import { anyOf, ClauseGate, requiredClauses, type Clause } from '../../../services/safety/prefilter';

const exact = (word: string) => ({ word, prefix: false });
const prefix = (word: string) => ({ word, prefix: true });

describe('requiredClauses', () => {
  it.each<[string, Clause[]]>([
    ['\\bkill myself\\b', [[exact('kill')], [exact('myself')]]],
    // "myself" is one token, so the group gives prefixes
    ['\\bkills? (?:my|him)self\\b', [[prefix('kill')], [prefix('my'), prefix('him')]]],
    // an optional word requires nothing; the word after it still starts a token
    ['\\bi (?:really )?want to die\\b', [[exact('i')], [exact('want')], [exact('to')], [exact('die')]]],
    ['\\b(?:my |the )?pills\\b', [[exact('pills')]]],
    // an alternation with an empty (or optional-only) branch requires nothing from that group
    ['\\b(?:i am |)scared\\b', [[exact('scared')]]],
    ['\\b(?:kill|end)(?:ing|s)?\\b', [[prefix('kill'), prefix('end')]]],
    ['\\bsuicid(?:e|al)\\b', [[prefix('suicid')]]],
    // each alternative gives its most selective clause (longer words are rarer)
    ['\\bi took (?:all|every) (?:pills|tablets)\\b|\\boverdosed\\b', [[exact('pills'), exact('tablets'), exact('overdosed')]]],
    // a gap and a look-around give nothing, but do not hide the words around them
    ['\\bsaid\\b[^.]{0,20}\\bdie\\b(?! laughing)', [[exact('said')], [exact('die')]]],
    ['(?<!\\bnot )\\bhomeless\\b', [[exact('homeless')]]],
    // a word inside a word, or after something that may be a letter, starts no token
    ['kill', []],
    ['\\b\\w+ died\\b', [[exact('died')]]],
    ['\\b[a-z]+ing\\b', []],
    ['\\bo+d\\b', []],
    // a marker left by a neutraliser
    ['\\bnegated_risk\\b', [[exact('negated_risk')]]],
    // repeated groups: only the first repetition is read
    ['\\b(?:ha )+\\bkill', [[exact('ha')], [prefix('kill')]]],
    // what the parser does not know makes the pattern always run
    ['\\b(a)\\1', []],
    ['\\b(?<w>kill)', []],
    ['\\b\\x41kill', []],
    ['\\b(?:a|b', []],
  ])('%s', (source, expected) => {
    expect(requiredClauses(source)).toEqual(expected);
  });
});

/** Patterns chosen to trip a prefilter: optional words, alternations, nested macros, markers, gaps. */
const TRICKY = [
  '\\bkill myself\\b',
  '\\bkills? (?:my|him|her)self\\b',
  '\\bi (?:really |just )?(?:want|wanna) to (?:die|end it)\\b',
  '\\b(?:(?:my|her) (?:\\w+ )?(?:pills|tablets|meds))\\b',
  '\\b(?:took|taken)\\b[^.]{0,25}\\b(?:every|all (?:the|my))\\b[^.]{0,20}\\b(?:tablets?|pills?)\\b',
  '\\b(?:i am |)scared\\b',
  '\\boverdos\\w*',
  '\\b(?:kill|end)(?:ing|s)?\\b',
  '\\bnegated_risk\\b[^.]*\\bsuicid',
  '(?<!\\bnot )\\b(?:homeless|on the streets)\\b(?! charity)',
  '\\bself ?harm',
  '\\b(go|do|kill|cutt|hurt)in\\b',
  '\\b(?:ha )+kill',
  ' (?:od|o d) ',
  '\\bi\\b',
];

const TEXTS = [
  ' i want to kill myself ',
  ' i wanna end it . ',
  ' i really want to die ',
  ' kills himself ',
  ' killing time ',
  ' i took all the pills ',
  ' took every single one of my tablets ',
  ' my nans heart pills ',
  ' her meds ',
  ' scared ',
  ' overdosed ',
  ' not homeless ',
  ' on the streets tonight ',
  ' homeless charity ',
  ' negated_risk not suicidal ',
  ' selfharm ',
  ' self harm ',
  ' cuttin again ',
  ' ha ha kill ',
  ' i od ',
  ' o d ',
  ' Kill myself ',
  ' killmyself ',
  " don't ",
  ' ',
];

describe('ClauseGate', () => {
  it('never skips a pattern that matches (tricky patterns x tricky and labelled texts)', () => {
    const gate = new ClauseGate();
    const patterns = TRICKY.map((source) => ({ re: new RegExp(source), id: gate.register(requiredClauses(source)) }));
    const marks = gate.newMarks();
    const lexicon = loadSafetyLexicon();
    const own = path.join(__dirname, '../../eval/safety-own.jsonl');
    const labelled = parseEvalSet(fs.readFileSync(own, 'utf8')).map((m) => ` ${lexicon.normalise(m.text)} `);
    let skipped = 0;
    for (const text of [...TEXTS, ...labelled]) {
      gate.mark(text, marks);
      for (const { re, id } of patterns) {
        if (gate.live(id, marks)) continue;
        skipped++;
        expect({ text, pattern: re.source, matches: re.test(text) }).toEqual({ text, pattern: re.source, matches: false });
      }
    }
    expect(skipped).toBeGreaterThan(1000); // the gate does skip work
  });

  it('is live exactly when every clause has a word that is a token, or a prefix of one', () => {
    const gate = new ClauseGate();
    const patterns = TRICKY.map((source) => ({ clauses: requiredClauses(source), id: gate.register(requiredClauses(source)) }));
    const marks = gate.newMarks();
    for (const text of [...TEXTS, ' negated_risk2 ok ', ' é kill_ 9lives kilé ', 'kill', ' KILL myself ']) {
      // the definition: tokens are the maximal runs of [a-z0-9_]
      const tokens = text.split(/[^a-z0-9_]+/).filter((t) => t.length > 0);
      const holds = (clause: Clause) => clause.some((w) => tokens.some((t) => (w.prefix ? t.startsWith(w.word) : t === w.word)));
      gate.mark(text, marks);
      for (const { clauses, id } of patterns) {
        expect({ text, clauses, live: gate.live(id, marks) }).toEqual({ text, clauses, live: clauses.every(holds) });
      }
    }
  });

  it('marks exact words, prefixes and patterns without clauses', () => {
    const gate = new ClauseGate();
    const both = gate.register([[exact('kill')], [prefix('overdos')]]);
    const either = gate.register([[exact('kill'), prefix('overdos')]]);
    const always = gate.register([]);
    const marks = gate.newMarks();
    const live = (text: string) => {
      gate.mark(text, marks);
      return [both, either, always].map((id) => gate.live(id, marks));
    };
    expect(live(' kill . overdosed ')).toEqual([true, true, true]);
    expect(live(' i overdosed ')).toEqual([false, true, true]);
    expect(live(' killing time ')).toEqual([false, false, true]);
    expect(gate.alwaysRun).toBe(1);
  });
});

describe('the shipped screen with the prefilter', () => {
  it('normalises printable ASCII by the fast path exactly as by the full path', () => {
    const { normalise } = loadSafetyLexicon();
    const own = path.join(__dirname, '../../eval/safety-own.jsonl');
    const texts = parseEvalSet(fs.readFileSync(own, 'utf8')).map((m) => m.text);
    texts.push('KILLLL MYSELFFF', 'ill kill him', 'w/o food & no heating', '`cause im done', 'sewer slide tn');
    for (const text of texts) {
      // a zero-width space sends the text down the full path and is then removed
      expect(normalise(text)).toBe(normalise(`${text}\u200B`));
    }
  });

  it('never changes a result: gated and ungated rules agree on tricky messages', () => {
    const gated = loadSafetyLexicon();
    const ungated = loadSafetyLexicon(undefined, { gate: false });
    const texts = [
      'i am not suicidal but i did take all my tablets',
      'this essay is killing me . i want to kill myself',
      'hell kill me if i go home',
      'ill end it tn',
      'my mate said she wants to end it all',
      'my self harm scars',
      'he said the voices tell me to kill myself',
      'i have been sofa surfing and have nowhere tonight',
      'no where to go . can not stay',
    ];
    for (const text of texts) {
      expect({ text, result: gated.rules.classify(gated.normalise(text)) }).toEqual({
        text,
        result: ungated.rules.classify(ungated.normalise(text)),
      });
    }
  });
});

describe('anyOf (the gate of several patterns, e.g. a whole rule)', () => {
  const gate = new ClauseGate();
  const rule = gate.register(anyOf([[[exact('sofa')], [exact('surfing')]], [[prefix('kick')], [exact('out')]], [[exact('nowhere')]]]));
  const marks = gate.newMarks();
  const live = (text: string) => {
    gate.mark(text, marks);
    return gate.live(rule, marks);
  };

  it('is dead when no alternative has its words', () => {
    expect(live(' i am fine thanks ')).toBe(false);
    expect(live(' kic out ')).toBe(false);
  });

  it('is live when any one alternative could match', () => {
    expect(live(' sofa surfing again ')).toBe(true);
    expect(live(' they kicked me out ')).toBe(true);
    expect(live(' nowhere to go ')).toBe(true);
  });

  it('always runs when an alternative has no words to gate on', () => {
    expect(anyOf([[[exact('sofa')]], []])).toEqual([]);
  });
});
