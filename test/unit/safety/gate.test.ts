import fs from 'node:fs';
import path from 'node:path';
import { firstWords } from '../../../services/safety/gate';
import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';
import { parseEvalSet } from '../../../services/safety/evaluate';
import { compileRules } from '../../../services/safety/rules';
import { lexiconBodySchema } from '../../../services/safety/schema';

describe('firstWords', () => {
  it.each<[string, Array<{ word: string; prefix: boolean }> | null]>([
    ['\\bkill myself\\b', [{ word: 'kill', prefix: false }]],
    ['\\b(?:kill|killing) (?:myself|himself)\\b', [{ word: 'kill', prefix: false }, { word: 'killing', prefix: false }]],
    ['\\boverdos(?:e|ed)\\b', [{ word: 'overdos', prefix: true }]],
    ['\\bkills?\\b', [{ word: 'kill', prefix: true }]],
    ['\\bsofa ?surf', [{ word: 'sofa', prefix: true }]],
    ['\\b(?:self harm|cutting)\\b|\\bnegated_risk\\b', [{ word: 'self', prefix: false }, { word: 'cutting', prefix: false }, { word: 'negated_risk', prefix: false }]],
    ['(?<!\\bi )\\b(?:checks|reads) my phone', [{ word: 'checks', prefix: false }, { word: 'reads', prefix: false }]],
    ['\\b(?:i am |)scared', null], // an empty alternative
    ['\\b(?:my )?life is over', null], // an optional first group
    ['kill', null], // no word boundary: could match inside a word
    ['\\b\\w+ died', null],
    ['\\b[a-z]+ died', null],
    ['\\b(?:a|b', null], // unbalanced
  ])('%s', (source, expected) => {
    expect(firstWords(source)).toEqual(expected);
  });
});

describe('the rules gate', () => {
  it('never changes a result: gated and ungated rules agree on every labelled message', () => {
    const gated = loadSafetyLexicon();
    const ungated = loadSafetyLexicon(undefined, { gate: false });
    expect(ungated.rules.gateStats.alwaysRun).toBe(ungated.rules.gateStats.patterns);
    const root = path.join(__dirname, '../../..');
    // the own set and the shared dev set (the holdout stays unseen outside the final measurement)
    const texts = [path.join(root, 'test/eval/safety-own.jsonl'), path.join(root, '../shared/eval/safety-dev.jsonl')]
      .filter((f) => fs.existsSync(f))
      .flatMap((f) => parseEvalSet(fs.readFileSync(f, 'utf8')).map((m) => m.text));
    texts.push('this essay is killing me', "I'm not suicidal just tired", 'my dad is hitting my mum right now', 'k1ll mys3lf');
    expect(texts.length).toBeGreaterThan(100);
    for (const text of texts) {
      expect({ text, result: gated.rules.classify(gated.normalise(text)) }).toEqual({
        text,
        result: ungated.rules.classify(ungated.normalise(text)),
      });
    }
  });
});

describe('the gate of a whole rule', () => {
  const lexicon = lexiconBodySchema.parse({
    version: 1,
    about: {
      firstPerson: '\\bme\\b',
      thirdPerson: '\\bher\\b',
      reporting: '\\btold me\\b',
      subjectSelf: '\\bi\\b',
      subjectOther: '\\bshe\\b',
    },
    rules: [
      {
        id: 'test.rule',
        severity: 'high',
        category: 'homelessness',
        match: ['\\bsofa surfing\\b', '\\bkicked (?:me )?out\\b', { all: ['\\bnowhere\\b', '\\btonight\\b'] }],
      },
    ],
  });
  const gated = compileRules([{ file: 'test.yaml', body: lexicon }]);
  const ungated = compileRules([{ file: 'test.yaml', body: lexicon }], 'test', { gate: false });
  const sources = new Set(['\\bsofa surfing\\b', '\\bkicked (?:me )?out\\b', '\\bnowhere\\b', '\\btonight\\b']);

  /** The rule's patterns that ran on `text`, and the result's reasons. */
  const run = (rules: typeof gated, text: string) => {
    const ran: string[] = [];
    const exec = RegExp.prototype.exec;
    const spy = jest.spyOn(RegExp.prototype, 'exec').mockImplementation(function (this: RegExp, input: string) {
      if (sources.has(this.source)) ran.push(this.source);
      return exec.call(this, input);
    });
    try {
      return { ran, reasons: rules.classify(text).reasons };
    } finally {
      spy.mockRestore();
    }
  };

  it('skips the whole rule when none of its words is in the message', () => {
    expect(run(gated, 'i am fine thanks . see you on monday')).toEqual({ ran: [], reasons: [] });
    expect(run(ungated, 'i am fine thanks . see you on monday').ran.length).toBeGreaterThan(0); // the spy sees them
  });

  it('never skips it when the words of one entry are there', () => {
    for (const text of ['i am sofa surfing', 'my dad kicked me out', 'i have nowhere to go tonight', 'nowhere to go tomorrow']) {
      expect({ text, reasons: run(gated, text).reasons }).toEqual({ text, reasons: run(ungated, text).reasons });
    }
    expect(run(gated, 'i am sofa surfing').reasons).toEqual(['test.rule']);
    expect(run(gated, 'my dad kicked me out').reasons).toEqual(['test.rule']);
    expect(run(gated, 'i have nowhere to go tonight').reasons).toEqual(['test.rule']);
  });
});
