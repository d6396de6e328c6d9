import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CLASSIFIER_RAISED_REASON, featurise, raise, trainSafetyClassifier, type ClassifierVerdict } from '../../../services/safety/classifier';
import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';
import { createSafetyScreen } from '../../../services/safety/pipeline';
import { SafetyLexiconError } from '../../../services/safety/schema';
import { CATEGORIES, SEVERITIES, severityRank, type ScreenResult } from '../../../services/safety/types';

const lexicon = loadSafetyLexicon();
const screen = createSafetyScreen({ lexicon });
const rulesOnly = createSafetyScreen({ lexicon, classifier: false });

const fixtures = path.join(__dirname, '../../fixtures/safety');
const made: string[] = [];
/** The valid lexicon fixture set plus the named training fixture files. */
function withTraining(...files: Array<string | { name: string; text: string }>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safety-training-'));
  made.push(dir);
  const valid = path.join(fixtures, 'valid');
  for (const name of fs.readdirSync(valid)) fs.copyFileSync(path.join(valid, name), path.join(dir, name));
  for (const file of files) {
    if (typeof file === 'string') fs.copyFileSync(path.join(fixtures, 'training', file), path.join(dir, `training-${file}`));
    else fs.writeFileSync(path.join(dir, file.name), file.text);
  }
  return dir;
}
afterAll(() => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

function loadError(dir: string): SafetyLexiconError {
  try {
    loadSafetyLexicon(dir);
  } catch (error) {
    if (error instanceof SafetyLexiconError) return error;
    throw error;
  }
  throw new Error('expected the training data to be refused');
}

describe('the shipped classifier', () => {
  it('is trained from the moderated training files at start-up', () => {
    expect(lexicon.training).not.toBeNull();
    const shipped = fs.readdirSync(lexicon.dir).filter((f) => /^training-.*\.yaml$/.test(f)).sort();
    expect(shipped).toEqual(expect.arrayContaining(['training-gaps.yaml', 'training-imported.yaml', 'training-imported-blind.yaml']));
    expect(lexicon.training!.files.map((f) => path.basename(f))).toEqual(shipped);
    expect(screen.classifier).not.toBeNull();
    expect(screen.classifier!.stats.examples).toBeGreaterThan(1000);
    expect(rulesOnly.classifier).toBeNull();
  });

  // about 0.6 s on an idle core; the bound leaves room for a shared, loaded CI machine
  it('trains within its start-up budget', () => {
    const started = process.hrtime.bigint();
    trainSafetyClassifier(lexicon.training!.examples, lexicon.normalise, lexicon.training!.settings);
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(3000);
  });

  it('scores exactly as the library does (the weight table is read back from the trained model)', () => {
    const classifier = screen.classifier!;
    for (const example of lexicon.training!.examples.slice(0, 300)) {
      const n = lexicon.normalise(example.text);
      const fast = classifier.score(n);
      const library = classifier.scoreWithLibrary(n);
      for (const label of ['urgent', 'safeguarding', 'concern', 'benign'] as const) {
        expect(fast[label]).toBeCloseTo(library[label], 6);
      }
    }
  });

  it('is deterministic: the same input gives the same output, across trainings too', () => {
    const again = createSafetyScreen({ lexicon });
    const texts = ['took a whole month of my meds', 'my manager will kill me lol', 'new pa doesnt get me', 'hi'];
    for (const text of texts) {
      const first = screen.screenSync(text);
      expect(screen.screenSync(text)).toEqual(first);
      expect(again.screenSync(text)).toEqual(first);
      expect(again.classifier!.score(lexicon.normalise(text))).toEqual(screen.classifier!.score(lexicon.normalise(text)));
    }
  });

  it('features are unigrams and bigrams inside a clause, never across a clause mark', () => {
    expect(featurise(' i am done . bye ', 0)).toEqual(['i', 'am', 'i_am', 'done', 'am_done', 'bye']);
    expect(featurise(' prescription ', 5)).toEqual(['prescription', 'presc~']);
    expect(featurise('', 0)).toEqual([]);
  });
});

describe('raise: the classifier may only raise', () => {
  const rulesResult = (severity: ScreenResult['severity'], category: ScreenResult['category']): ScreenResult => ({
    severity,
    category,
    reasons: severity === 'none' ? [] : ['some.rule'],
    about: 'other',
    needsCrisisSignposting: severity === 'urgent',
  });

  it('never lowers the rules, for every pair of severities', () => {
    for (const ruleSeverity of SEVERITIES) {
      for (const modelSeverity of SEVERITIES) {
        const rules = rulesResult(ruleSeverity, ruleSeverity === 'none' ? 'none' : 'destitution');
        const verdict: ClassifierVerdict = { severity: modelSeverity, category: modelSeverity === 'none' ? 'none' : 'exploitation' };
        const out = raise(rules, verdict);
        expect(severityRank(out.severity)).toBe(Math.max(severityRank(ruleSeverity), severityRank(modelSeverity)));
        if (severityRank(modelSeverity) <= severityRank(ruleSeverity)) expect(out).toBe(rules);
        else {
          expect(out.reasons).toEqual([...rules.reasons, CLASSIFIER_RAISED_REASON]);
          expect(out.about).toBe('other');
          expect(out.needsCrisisSignposting).toBe(modelSeverity === 'urgent');
          expect(CATEGORIES).toContain(out.category);
          expect(out.category).not.toBe('none');
        }
      }
    }
  });

  it('a classifier-only urgent carries crisis signposting and names the classifier, never text', () => {
    const out = raise(rulesResult('none', 'none'), { severity: 'urgent', category: 'suicide_self_harm' });
    expect(out).toEqual({
      severity: 'urgent',
      category: 'suicide_self_harm',
      reasons: [CLASSIFIER_RAISED_REASON],
      about: 'other',
      needsCrisisSignposting: true,
    });
  });

  it('the screen with the classifier is never below the rules alone, on every training example', () => {
    for (const example of lexicon.training!.examples) {
      const withModel = screen.screenSync(example.text);
      const rules = rulesOnly.screenSync(example.text);
      expect({ text: example.text, rank: severityRank(withModel.severity) >= severityRank(rules.severity) }).toEqual({
        text: example.text,
        rank: true,
      });
      if (withModel.severity !== rules.severity) expect(withModel.reasons).toContain(CLASSIFIER_RAISED_REASON);
      if (withModel.severity === 'urgent') expect(withModel.needsCrisisSignposting).toBe(true);
    }
  });

  it('the Runnable pipeline and screenSync agree (no language model)', async () => {
    for (const text of ['bought blades earlier today, for later', 'i love my new flat', 'miss my foster mum since she died']) {
      await expect(screen.pipeline.invoke(text)).resolves.toEqual(screen.screenSync(text));
    }
  });

  it('a classifier fault leaves the rules result standing', () => {
    const broken = createSafetyScreen({
      lexicon,
      classifier: { ...screen.classifier!, classify: () => { throw new Error('boom'); } },
    });
    expect(broken.screenSync('feeling a bit low today')).toEqual(rulesOnly.screenSync('feeling a bit low today'));
  });
});

/*
 * The concept gaps found on the blind set, phrased in NEW words (none of these is in the training
 * data or in the brief's list). Each must now reach at least the given severity.
 */
const MUST_ESCALATE: Array<[string, 'urgent' | 'high' | 'medium']> = [
  ['downed a whole month of my prescribed tablets', 'urgent'],
  ['got myself some razor blades from the pound shop for tonight', 'urgent'],
  ['giving all my belongings away to my mates, wont need any of it', 'urgent'],
  ['hoping my next birthday will be my last', 'urgent'],
  ['checked when the trains pass through, ykwim', 'urgent'],
  ['taken them already, dont call anyone', 'urgent'],
  ['minding a bag for a guy cos the police are about', 'high'],
  ['lads are using my flat to bag up', 'high'],
  ['got paid to look after stuff and now they want me to move it', 'high'],
  ['im 16 living with a 30 year old who wont let me go to college', 'high'],
  ['someone shared my nudes in a group chat', 'high'],
  ['they said go to another city and drop it off or im dead', 'high'],
  ['he has my bank card and my id and i get none of my money', 'high'],
  ['working in a salon for no money and i live above it', 'high'],
  ['my location is shared with his mates and they keep turning up', 'high'],
  ['so anxious about my resit tomorrow', 'medium'],
  ['no point going to college anymore', 'medium'],
  ['my new pa just doesnt get me', 'medium'],
  ['i miss my little brother who got adopted', 'medium'],
  ['mothers day is rubbish when youre in care', 'medium'],
  ['my old foster carer died and i cant stop thinking about her', 'medium'],
];

/*
 * Known gaps: the classifier scores these towards urgent but below its cross-validated threshold
 * (veiled hints carry few words; "ill" for "I'll" is not normalised). `it.failing` keeps them
 * visible: the test starts failing, on purpose, once they escalate, so move them up then.
 */
const KNOWN_GAPS: Array<[string, 'urgent']> = [
  ['i dont think ill still be here next week', 'urgent'],
];

/* Near-miss benign messages that share those words: they must not escalate. */
const MUST_NOT_ESCALATE = [
  'my manager is going to kill me, late again lol',
  'checked the train times for the football on saturday',
  'bought razors and shower gel',
  'picked up a months prescription from the chemist',
  'giving my old clothes to the charity shop',
  'wont be here next week, off to my nans',
  'my birthday is next week, so excited',
  'holding my mates coat while he dances',
  'my resit went well!',
  'my new pa is lovely',
];

describe('gap concepts in new words', () => {
  it.each(MUST_ESCALATE)('escalates: %s (at least %s)', (text, atLeast) => {
    const result = screen.screenSync(text);
    expect({ text, severity: result.severity, ok: severityRank(result.severity) >= severityRank(atLeast) }).toMatchObject({ ok: true });
    if (result.severity === 'urgent') expect(result.needsCrisisSignposting).toBe(true);
  });

  it.failing.each(KNOWN_GAPS)('known gap, not yet escalated: %s (%s)', (text, atLeast) => {
    expect(severityRank(screen.screenSync(text).severity)).toBeGreaterThanOrEqual(severityRank(atLeast));
  });

  it.each(MUST_NOT_ESCALATE)('does not escalate: %s', (text) => {
    expect(screen.screenSync(text)).toMatchObject({ severity: 'none', needsCrisisSignposting: false });
  });
});

describe('training data validates loudly', () => {
  it('loads a valid training fixture and trains from it', () => {
    const loaded = loadSafetyLexicon(withTraining('valid.yaml'));
    expect(loaded.training!.examples).toHaveLength(20);
    expect(loaded.files.map((f) => path.basename(f))).toContain('training-valid.yaml');
    const small = createSafetyScreen({ lexicon: loaded });
    expect(small.classifier).not.toBeNull();
    expect(small.screenSync('took all my tablets').severity).toBe('urgent');
  });

  it('a folder with no training files is rules only', () => {
    expect(loadSafetyLexicon(path.join(fixtures, 'valid')).training).toBeNull();
    expect(createSafetyScreen({ lexicon: loadSafetyLexicon(path.join(fixtures, 'valid')) }).classifier).toBeNull();
  });

  it.each([
    ['conflicting-label.yaml', /training-conflicting-label\.yaml › training\.examples\.20\.text: the same text is labelled "safeguarding" at examples\.6 and "benign" here/],
    ['bad-label.yaml', /training-bad-label\.yaml › training\.examples\.20\.label: /],
    ['benign-category.yaml', /training-benign-category\.yaml › training\.examples\.20\.category: a benign example has no category/],
    ['bad-threshold.yaml', /training-bad-threshold\.yaml › training\.classifier\.thresholds\.urgent: /],
    ['no-settings.yaml', /exactly one published safety-training file must hold the classifier settings/],
    ['too-few.yaml', /needs at least 5 "concern" examples \(found 0\)/],
  ])('refuses %s, naming the file and the field', (file, message) => {
    const error = loadError(withTraining(file));
    expect(error.problems.join('\n')).toMatch(message);
  });

  it('refuses the same text labelled differently in two files', () => {
    const valid = fs.readFileSync(path.join(fixtures, 'training', 'valid.yaml'), 'utf8');
    const other = valid
      .replace('id: fixture-training-valid', 'id: fixture-training-other')
      .replace(/  classifier:\n(    .*\n)+/, '')
      .replace(/  examples:\n[\s\S]*$/, "  examples:\n    - { label: benign, text: 'Nowhere to sleep  tonight' }\n");
    const error = loadError(withTraining('valid.yaml', { name: 'training-zz-other.yaml', text: other }));
    expect(error.problems.join('\n')).toMatch(
      /training-zz-other\.yaml › training\.examples\.0\.text: labelled "benign" here but "safeguarding" in .*training-valid\.yaml \(examples\.6\)/,
    );
  });
});
