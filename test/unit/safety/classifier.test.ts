import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  CLASSIFIER_RAISED_REASON,
  clusterFeaturesOf,
  raise,
  severityFromScores,
  trainSafetyClassifier,
  type ClassifierVerdict,
} from '../../../services/safety/classifier';
import { featureNames, HashBuffer, hashFeatureName, hashFeatures, WordClusters, type ClusterFeatures } from '../../../services/safety/linear';
import { loadWordClusters } from '../../../services/safety/word-clusters';
import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';
import { createSafetyScreen } from '../../../services/safety/pipeline';
import { SafetyLexiconError, type ClassifierSettings, type TrainingExample } from '../../../services/safety/schema';
import { CLASSIFIER_STOOD_DOWN_REASON } from '../../../services/safety/stand-down';
import { CATEGORIES, noConcern, SEVERITIES, severityRank, type ScreenResult } from '../../../services/safety/types';

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

  // About 1.5 s of CPU on this machine. CPU time, not wall time: other jobs on a shared machine
  // slow the clock on the wall, not the work done.
  it('trains within its start-up budget', () => {
    const started = process.cpuUsage();
    trainSafetyClassifier(lexicon.training!.examples, lexicon.normalise, lexicon.training!.settings);
    const used = process.cpuUsage(started);
    expect((used.user + used.system) / 1000).toBeLessThan(6000);
  });

  it('is deterministic: the same input gives the same output, across trainings too', () => {
    const again = createSafetyScreen({ lexicon });
    const texts = ['took a whole month of my meds', 'my manager will kill me lol', 'new pa doesnt get me', 'hi', ''];
    for (const text of texts) {
      const first = screen.screenSync(text);
      expect(screen.screenSync(text)).toEqual(first);
      expect(again.screenSync(text)).toEqual(first);
      // bit for bit: fixed order, fixed-seed shuffle, fixed epochs
      expect(again.classifier!.score(lexicon.normalise(text))).toEqual(screen.classifier!.score(lexicon.normalise(text)));
    }
  });

  it('classifies by its thresholds, and its scores are ordered (at least urgent <= at least high <= at least medium)', () => {
    const classifier = screen.classifier!;
    const { thresholds } = classifier.settings;
    for (const example of lexicon.training!.examples.slice(0, 400)) {
      const n = lexicon.normalise(example.text);
      const scores = classifier.score(n);
      expect(Object.values(scores).every(Number.isFinite)).toBe(true);
      expect(scores.urgent).toBeLessThanOrEqual(scores.safeguarding + 1e-9);
      expect(scores.safeguarding).toBeLessThanOrEqual(scores.concern + 1e-9);
      expect(classifier.classify(n).severity).toBe(severityFromScores(scores, thresholds));
    }
  });

  it('severityFromScores applies the thresholds in order of severity', () => {
    const t = { urgent: 6, safeguarding: 7, concern: 8 };
    expect(severityFromScores({ urgent: 6, safeguarding: 6, concern: 6 }, t)).toBe('urgent');
    expect(severityFromScores({ urgent: 5.9, safeguarding: 7, concern: 7 }, t)).toBe('high');
    expect(severityFromScores({ urgent: 5.9, safeguarding: 6.9, concern: 8 }, t)).toBe('medium');
    expect(severityFromScores({ urgent: 5.9, safeguarding: 6.9, concern: 7.9 }, t)).toBe('none');
  });

  it('features are unigrams, bigrams inside a clause (never across a clause mark) and word prefixes', () => {
    expect(featureNames('i am done . bye', 0)).toEqual(['w:i', 'w:am', 'b:i am', 'w:done', 'b:am done', 'w:bye']);
    expect(featureNames('prescription', 5)).toEqual(['w:prescription', 'p:presc']);
    expect(featureNames('', 6)).toEqual([]);
    const shipped = screen.classifier!.settings;
    expect(screen.classifier!.features('took my pills')).toEqual(featureNames('took my pills', shipped.prefixLength, clusterFeaturesOf(shipped)));
  });

  it('word clusters add c: (coarse), f: (fine) and cb: (coarse bigrams inside a clause) for words in the table', () => {
    const table = new WordClusters('# a comment\n# split\t4\npills\t9\ntablets\t9\nparacetamol\t10\ntook\t1\n');
    const all: ClusterFeatures = { table, coarse: true, fine: true, bigrams: true };
    expect(featureNames('took paracetamol . took xyzzy pills', 0, all)).toEqual([
      'w:took', 'c:0', 'f:1',
      'w:paracetamol', 'b:took paracetamol', 'c:2', 'f:10', 'cb:0 2',
      'w:took', 'c:0', 'f:1',
      'w:xyzzy', 'b:took xyzzy',
      'w:pills', 'b:xyzzy pills', 'c:2', 'f:9',
    ]);
    expect(featureNames('took pills', 0, { table, coarse: true, fine: false, bigrams: false })).toEqual(['w:took', 'c:0', 'w:pills', 'b:took pills', 'c:2']);
    expect(featureNames('took pills', 0, null)).toEqual(featureNames('took pills', 0));
    expect(() => new WordClusters('pills\t1\n')).toThrow(/split/);
  });

  it('the committed cluster table puts an unseen medicine beside trained ones', () => {
    const table = loadWordClusters();
    expect(table.words).toBeGreaterThan(50_000);
    const coarse = (word: string) => Math.floor(table.fineOf(hashFeatureName(`w:${word}`)) / table.split);
    expect(coarse('paracetamol')).toBe(coarse('tablets'));
    expect(coarse('paracetamol')).toBe(coarse('pills'));
    expect(coarse('paracetamol')).not.toBe(coarse('bread'));
    expect(table.fineOf(hashFeatureName('w:notawordatallzz'))).toBe(-1);
  });

  it('with word clusters on, the scoring path still hashes exactly the named features', () => {
    const buffer = new HashBuffer();
    const clusters: ClusterFeatures = { table: loadWordClusters(), coarse: true, fine: true, bigrams: true };
    for (const example of lexicon.training!.examples.slice(0, 300)) {
      const n = lexicon.normalise(example.text);
      hashFeatures(n, 6, buffer, clusters);
      expect(Array.from(buffer.toArray())).toEqual(featureNames(n, 6, clusters).map(hashFeatureName));
    }
  });

  it('the scoring path hashes exactly the named features, without making strings', () => {
    const buffer = new HashBuffer();
    for (const example of lexicon.training!.examples.slice(0, 300)) {
      const n = lexicon.normalise(example.text);
      hashFeatures(n, 6, buffer);
      expect(Array.from(buffer.toArray())).toEqual(featureNames(n, 6).map(hashFeatureName));
    }
  });
});

describe('the model learns, and respects its settings', () => {
  const norm = (text: unknown) => (typeof text === 'string' ? text.toLowerCase().trim() : '');
  const urgentWords = ['took all my pills', 'swallowed every tablet', 'took the whole box of pills', 'downed all my tablets', 'took every pill i had'];
  const benignWords = ['took the dog for a walk', 'bought some bread', 'watched a film', 'went to college', 'cooked pasta for tea'];
  const examples: TrainingExample[] = [
    ...urgentWords.map((text) => ({ label: 'urgent' as const, text, category: 'suicide_self_harm' as const })),
    { label: 'safeguarding', text: 'no food in the flat for days', category: 'destitution' },
    { label: 'safeguarding', text: 'nowhere to sleep tonight', category: 'homelessness' },
    { label: 'safeguarding', text: 'he takes all my money', category: 'harm_from_others' },
    { label: 'safeguarding', text: 'they make me carry bags', category: 'exploitation' },
    { label: 'safeguarding', text: 'kicked out tonight', category: 'homelessness' },
    ...['feeling low', 'so lonely lately', 'worried about rent', 'stressed about exams', 'cant sleep from worry'].map((text) => ({ label: 'concern' as const, text })),
    ...benignWords.map((text) => ({ label: 'benign' as const, text })),
  ];
  const settings: ClassifierSettings = {
    smoothing: 0.5,
    prefixLength: 0,
    l2: 0.00001,
    epochs: 20,
    bayesWeight: 0.33,
    thresholds: { urgent: 1, safeguarding: 1, concern: 1 },
  };

  it('scores an unseen wording of a learned concept above an unseen everyday message', () => {
    const model = trainSafetyClassifier(examples, norm, settings);
    const risky = model.score('took all the pills i had');
    const everyday = model.score('took the bus to college');
    expect(risky.urgent).toBeGreaterThan(everyday.urgent + 1);
    expect(model.classify('took all the pills i had')).toEqual({ severity: 'urgent', category: 'suicide_self_harm' });
  });

  it('learns more from more epochs, and the naive Bayes weight shifts the scores', () => {
    const short = trainSafetyClassifier(examples, norm, { ...settings, epochs: 1, bayesWeight: 0 });
    const long = trainSafetyClassifier(examples, norm, { ...settings, epochs: 40, bayesWeight: 0 });
    const margin = (m: typeof short) => m.score('swallowed every tablet').urgent - m.score('went to college').urgent;
    expect(margin(long)).toBeGreaterThan(margin(short));
    const withBayes = trainSafetyClassifier(examples, norm, { ...settings, epochs: 40, bayesWeight: 1 });
    expect(margin(withBayes)).toBeGreaterThan(margin(long));
  });

  it('thresholds are respected: out of reach, it never raises; at -Infinity, everything is urgent', () => {
    const never = trainSafetyClassifier(examples, norm, { ...settings, thresholds: { urgent: Infinity, safeguarding: Infinity, concern: Infinity } });
    const always = trainSafetyClassifier(examples, norm, { ...settings, thresholds: { urgent: -Infinity, safeguarding: -Infinity, concern: -Infinity } });
    for (const text of [...urgentWords, ...benignWords, 'anything at all', '']) {
      expect(never.classify(text)).toEqual({ severity: 'none', category: 'none' });
      const verdict = always.classify(text);
      expect(verdict.severity).toBe('urgent');
      expect(['suicide_self_harm', 'harm_from_others']).toContain(verdict.category);
    }
  });

  it('a classifier-only category is one allowed at its severity', () => {
    const model = trainSafetyClassifier(examples, norm, settings);
    expect(model.category('nowhere to sleep tonight', 'high')).toBe('homelessness');
    expect(['suicide_self_harm', 'harm_from_others']).toContain(model.category('nowhere to sleep tonight', 'urgent'));
    expect(model.category('they make me carry bags', 'medium')).toBe('exploitation');
  });
});

describe('raise: the classifier raises, and stands down only medium or high results', () => {
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

  it('the screen with the classifier is never below the rules alone unless it stood a medium or high result down, on every training example', () => {
    const stoodDownLabels = new Set<string>();
    for (const example of lexicon.training!.examples) {
      const withModel = screen.screenSync(example.text);
      const rules = rulesOnly.screenSync(example.text);
      if (withModel.reasons.includes(CLASSIFIER_STOOD_DOWN_REASON)) {
        stoodDownLabels.add(example.label);
        expect({ text: example.text, rules: rules.severity, screen: withModel }).toEqual({
          text: example.text,
          rules: expect.stringMatching(/^(medium|high)$/),
          screen: { ...noConcern(), reasons: [...rules.reasons, CLASSIFIER_STOOD_DOWN_REASON] },
        });
        continue;
      }
      expect({ text: example.text, rank: severityRank(withModel.severity) >= severityRank(rules.severity) }).toEqual({
        text: example.text,
        rank: true,
      });
      if (withModel.severity !== rules.severity) expect(withModel.reasons).toContain(CLASSIFIER_RAISED_REASON);
      if (withModel.severity === 'urgent') expect(withModel.needsCrisisSignposting).toBe(true);
    }
    // On the examples it learned from, the classifier is sure only of benign ones.
    expect([...stoodDownLabels]).toEqual(['benign']);
  });

  it('the Runnable pipeline and screenSync agree (no language model)', async () => {
    for (const text of ['bought blades earlier today, for later', 'i love my new flat', 'miss my foster mum since she died']) {
      await expect(screen.pipeline.invoke(text)).resolves.toEqual(screen.screenSync(text));
    }
  });

  it('a classifier fault leaves the rules result standing', () => {
    const broken = createSafetyScreen({
      lexicon,
      classifier: {
        ...screen.classifier!,
        classify: () => { throw new Error('boom'); },
        assess: () => { throw new Error('boom'); },
      },
    });
    expect(broken.screenSync('feeling a bit low today')).toEqual(rulesOnly.screenSync('feeling a bit low today'));
    // a message the classifier alone would raise stays at the rules' result
    const raisedByClassifier = "i'm going to the station to step in front of the next train";
    expect(screen.screenSync(raisedByClassifier).reasons).toContain(CLASSIFIER_RAISED_REASON);
    expect(broken.screenSync(raisedByClassifier)).toEqual(rulesOnly.screenSync(raisedByClassifier));
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

  const validTraining = () => fs.readFileSync(path.join(fixtures, 'training', 'valid.yaml'), 'utf8');
  it.each([
    ['l2: 0', /training-settings\.yaml › training\.classifier\.l2: /],
    ['epochs: 0', /training-settings\.yaml › training\.classifier\.epochs: /],
    ['epochs: 2.5', /training-settings\.yaml › training\.classifier\.epochs: /],
    ['bayesWeight: -1', /training-settings\.yaml › training\.classifier\.bayesWeight: /],
    ['model: naive-bayes', /training-settings\.yaml › training\.classifier: .*model/],
  ])('refuses the classifier setting %s, naming the file and the field', (line, message) => {
    const text = validTraining().replace('    prefixLength: 0\n', `    prefixLength: 0\n    ${line}\n`);
    expect(text).toContain(line);
    const error = loadError(withTraining({ name: 'training-settings.yaml', text }));
    expect(error.problems.join('\n')).toMatch(message);
  });

  it('takes the logistic settings from the file, with defaults when they are left out', () => {
    expect(loadSafetyLexicon(withTraining('valid.yaml')).training!.settings).toEqual({
      smoothing: 0.5,
      prefixLength: 0,
      l2: 0.00001,
      epochs: 20,
      bayesWeight: 0.33,
      thresholds: { urgent: 2, safeguarding: 2, concern: 2 },
    });
    const text = validTraining().replace('    prefixLength: 0\n', '    prefixLength: 0\n    l2: 0.001\n    epochs: 5\n    bayesWeight: 0\n');
    expect(loadSafetyLexicon(withTraining({ name: 'training-settings.yaml', text })).training!.settings).toMatchObject({ l2: 0.001, epochs: 5, bayesWeight: 0 });
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
