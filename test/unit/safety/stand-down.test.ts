import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';
import { createSafetyScreen } from '../../../services/safety/pipeline';
import { classifierSettingsSchema, type ClassifierSettings } from '../../../services/safety/schema';
import { CLASSIFIER_STOOD_DOWN_REASON, STAND_DOWN_MAX_WORDS, standsDown } from '../../../services/safety/stand-down';
import { TOPIC_BESIDE_REASON } from '../../../services/safety/rules';
import type { SafetyClassifier, SeverityScores } from '../../../services/safety/classifier';
import { noConcern, type ScreenResult } from '../../../services/safety/types';

const lexicon = loadSafetyLexicon();
const shipped = createSafetyScreen({ lexicon }).classifier!;
const rulesOnly = createSafetyScreen({ lexicon, classifier: false });

const STAND_DOWN: NonNullable<ClassifierSettings['standDown']> = { upTo: 'high', benignOdds: 6, window: 8 };
const SURE = -20;
const WORRIED = 5;

/**
 * The shipped classifier with made-up scores: "at least medium" is `concernOf(text)` for any
 * stretch of text, and the classifier's own verdict is always none. `standDown: null` gives
 * settings without it.
 */
function classifierWith(concernOf: (text: string) => number, standDown: ClassifierSettings['standDown'] | null = STAND_DOWN): SafetyClassifier {
  const score = (text: string): SeverityScores => ({ urgent: SURE, safeguarding: SURE, concern: concernOf(text) });
  return {
    ...shipped,
    settings: { ...shipped.settings, standDown: standDown ?? undefined },
    score,
    classify: () => ({ severity: 'none', category: 'none' }),
    assess: (text) => ({ verdict: { severity: 'none', category: 'none' }, scores: score(text) }),
  };
}

/** Sure every stretch is benign, except one holding all of `worrying` (in order, side by side). */
function classifierSure(worrying: string[] = [], standDown: ClassifierSettings['standDown'] | null = STAND_DOWN): SafetyClassifier {
  return classifierWith((text) => (worrying.length > 0 && ` ${text} `.includes(` ${worrying.join(' ')} `) ? WORRIED : SURE), standDown);
}

const screenWith = (classifier: SafetyClassifier) => createSafetyScreen({ lexicon, classifier });
const HIT = 'my stepdad hit me last night';
const stood = (rules: ScreenResult) => ({ ...noConcern(), reasons: [...rules.reasons, CLASSIFIER_STOOD_DOWN_REASON] });

/** A long, cheerful message with `middle` put in after `before` filler words (rules: high for HIT). */
function longMessage(before: number, middle: string, after: number): string {
  const filler = (n: number) => Array.from({ length: n }, (_, i) => ['college', 'is', 'going', 'well', 'and', 'the', 'kitten', 'loves', 'her', 'new', 'bed'][i % 11]).join(' ');
  return [filler(before), middle, filler(after)].filter(Boolean).join(' ');
}

describe('the classifier standing a rules result down', () => {
  it('stands a high rules result down when sure, keeping the rule ids and the reason (never text)', () => {
    const rules = rulesOnly.screenSync(HIT);
    expect(rules.severity).toBe('high');
    expect(screenWith(classifierSure()).screenSync(HIT)).toEqual(stood(rules));
  });

  it('never stands a neverStoodDown rule down (strangling said lightly), however sure it is', () => {
    const text = 'quick update, my boyfriend choked me lol';
    const rules = rulesOnly.screenSync(text);
    expect(rules).toMatchObject({ severity: 'high', reasons: expect.arrayContaining(['harm.strangled']) });
    expect(lexicon.rules.neverStoodDown.has('harm.strangled')).toBe(true);
    expect(screenWith(classifierSure()).screenSync(text)).toEqual(rules);
    // the same certainty stands an ordinary high result down
    expect(screenWith(classifierSure()).screenSync(HIT)).toEqual(stood(rulesOnly.screenSync(HIT)));
  });

  it('never stands down a result found beside a topic that was taken out (the topic would make it sure)', () => {
    const text = 'the seminar on self harm was hard because my foster carer kicked me out tonight';
    const rules = rulesOnly.screenSync(text);
    expect(rules).toMatchObject({ severity: 'high', reasons: expect.arrayContaining([TOPIC_BESIDE_REASON]) });
    expect(screenWith(classifierSure()).screenSync(text)).toEqual(rules);
    // without the topic the same certainty stands it down
    const plain = 'my foster carer kicked me out tonight';
    expect(rulesOnly.screenSync(plain).reasons).not.toContain(TOPIC_BESIDE_REASON);
  });

  it('a never-stood-down rule below the winning severity still shows in the reasons', () => {
    const result = rulesOnly.screenSync('i want to kill myself and my boyfriend choked me lol');
    expect(result.severity).toBe('urgent');
    expect(result.reasons).toEqual(expect.arrayContaining(['harm.strangled']));
  });

  it('never stands an urgent rules result down, however sure it is', () => {
    const text = "i'm going to kill myself tonight";
    const rules = rulesOnly.screenSync(text);
    expect(rules.severity).toBe('urgent');
    expect(screenWith(classifierSure()).screenSync(text)).toEqual(rules);
    expect(standsDown(rules, classifierSure(), lexicon.normalise(text), lexicon.rules.neverStoodDown)).toBe(false);
  });

  it('never stands down a result that carries crisis signposting, or a screen error', () => {
    const rules = rulesOnly.screenSync(HIT);
    const normalised = lexicon.normalise(HIT);
    expect(standsDown(rules, classifierSure(), normalised, lexicon.rules.neverStoodDown)).toBe(true);
    expect(standsDown({ ...rules, needsCrisisSignposting: true }, classifierSure(), normalised, lexicon.rules.neverStoodDown)).toBe(false);
    expect(standsDown({ ...rules, reasons: ['screen.error'] }, classifierSure(), normalised, lexicon.rules.neverStoodDown)).toBe(false);
  });

  it('stands down only up to the configured severity', () => {
    const upToMedium = classifierSure([], { ...STAND_DOWN, upTo: 'medium' });
    expect(screenWith(upToMedium).screenSync(HIT)).toEqual(rulesOnly.screenSync(HIT));
    const low = 'feeling really low and empty these days';
    expect(rulesOnly.screenSync(low).severity).toBe('medium');
    expect(screenWith(upToMedium).screenSync(low)).toEqual(stood(rulesOnly.screenSync(low)));
  });

  it('without standDown in the settings, the classifier only raises', () => {
    expect(screenWith(classifierSure([], null)).screenSync(HIT)).toEqual(rulesOnly.screenSync(HIT));
  });

  it('stands down at exactly the configured odds, not a little below them', () => {
    const atOdds = classifierWith(() => -STAND_DOWN.benignOdds);
    const justBelow = classifierWith(() => -STAND_DOWN.benignOdds + 0.01);
    expect(screenWith(atOdds).screenSync(HIT)).toEqual(stood(rulesOnly.screenSync(HIT)));
    expect(screenWith(justBelow).screenSync(HIT)).toEqual(rulesOnly.screenSync(HIT));
  });

  describe('a long message is judged stretch by stretch, so a worry anywhere in it stands', () => {
    // Sure of the whole message, worried only by the stretch that holds "stepdad hit me".
    const sureOfTheWhole = (text: string) => classifierWith((t) => (t === lexicon.normalise(text) ? SURE : ` ${t} `.includes(' stepdad hit me ') ? WORRIED : SURE));

    it.each([
      ['at the start', longMessage(0, HIT, 40)],
      ['in the middle', longMessage(20, HIT, 20)],
      ['at the very end', longMessage(40, HIT, 0)],
      ['across a stretch boundary', longMessage(STAND_DOWN.window - 2, HIT, 30)],
      ['with one word more than a stretch', longMessage(STAND_DOWN.window + 1 - HIT.split(' ').length, HIT, 0)],
      ['in the last words only, one word more than a stretch', longMessage(STAND_DOWN.window - 3, 'my stepdad hit me', 0)],
    ])('%s', (_where, text) => {
      const rules = rulesOnly.screenSync(text);
      expect(rules.severity).toBe('high');
      expect(screenWith(sureOfTheWhole(text)).screenSync(text)).toEqual(rules);
      // Sure of every stretch as well: stood down.
      expect(screenWith(classifierSure()).screenSync(text)).toEqual(stood(rules));
    });
  });

  it('leaves a message longer than it can judge in good time to the rules', () => {
    const long = longMessage(STAND_DOWN_MAX_WORDS, HIT, 0);
    const rules = rulesOnly.screenSync(long);
    expect(rules.severity).toBe('high');
    expect(screenWith(classifierSure()).screenSync(long)).toEqual(rules);
    const justShortEnough = longMessage(STAND_DOWN_MAX_WORDS - HIT.split(' ').length - 2, HIT, 0);
    expect(screenWith(classifierSure()).screenSync(justShortEnough)).toEqual(stood(rulesOnly.screenSync(justShortEnough)));
  });

  it('a classifier fault while deciding leaves the rules result standing', () => {
    const broken = { ...classifierSure(), score: () => { throw new Error('boom'); } };
    expect(screenWith(broken).screenSync(HIT)).toEqual(rulesOnly.screenSync(HIT));
  });

  it('the settings refuse standing urgent results down, and odds or windows out of range', () => {
    const base = { smoothing: 0.25, prefixLength: 6, thresholds: { urgent: 6, safeguarding: 7, concern: 9 } };
    expect(classifierSettingsSchema.safeParse({ ...base, standDown: STAND_DOWN }).success).toBe(true);
    for (const standDown of [
      { ...STAND_DOWN, upTo: 'urgent' },
      { ...STAND_DOWN, benignOdds: 1 },
      { ...STAND_DOWN, window: 0 },
      { ...STAND_DOWN, window: 2.5 },
      { upTo: 'high', benignOdds: 6 },
      { ...STAND_DOWN, extra: true },
    ]) {
      expect(classifierSettingsSchema.safeParse({ ...base, standDown }).success).toBe(false);
    }
  });
});
