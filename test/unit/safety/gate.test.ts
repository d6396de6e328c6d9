import fs from 'node:fs';
import path from 'node:path';
import { firstWords } from '../../../services/safety/gate';
import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';
import { parseEvalSet } from '../../../services/safety/evaluate';

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
