import { loadSafetyLexicon } from '../../../services/safety/load-lexicon';
import { createSafetyScreen } from '../../../services/safety/pipeline';
import { classifierSettingsSchema, type ClassifierSettings } from '../../../services/safety/schema';
import { CLASSIFIER_STOOD_DOWN_REASON, standsDown } from '../../../services/safety/stand-down';
import type { SafetyClassifier, SeverityScores } from '../../../services/safety/classifier';
import { noConcern } from '../../../services/safety/types';

const lexicon = loadSafetyLexicon();
const shipped = createSafetyScreen({ lexicon }).classifier!;
const rulesOnly = createSafetyScreen({ lexicon, classifier: false });

const STAND_DOWN: NonNullable<ClassifierSettings['standDown']> = { upTo: 'high', benignOdds: 6, window: 8 };

/**
 * The shipped classifier with its scores replaced: `concern` is -20 (sure it is benign) for any
 * stretch of text without one of the `worrying` words, and +5 for one with.
 */
/** `standDown: null` gives settings without it. */
function classifierSure(worrying: string[] = [], standDown: ClassifierSettings['standDown'] | null = STAND_DOWN): SafetyClassifier {
  const score = (text: string): SeverityScores => {
    const worried = worrying.some((word) => ` ${text} `.includes(` ${word} `));
    return worried ? { urgent: -20, safeguarding: -20, concern: 5 } : { urgent: -20, safeguarding: -20, concern: -20 };
  };
  return {
    ...shipped,
    settings: { ...shipped.settings, standDown: standDown ?? undefined },
    score,
    classify: (text) => (score(text).concern > 0 ? { severity: 'medium', category: 'mental_health' } : { severity: 'none', category: 'none' }),
  };
}

function screenWith(classifier: SafetyClassifier) {
  return createSafetyScreen({ lexicon, classifier });
}

describe('the classifier standing a rules result down', () => {
  it('never stands an urgent rules result down, however sure it is', () => {
    const text = "i'm going to kill myself tonight";
    expect(rulesOnly.screenSync(text).severity).toBe('urgent');
    expect(screenWith(classifierSure()).screenSync(text)).toEqual(rulesOnly.screenSync(text));
    expect(standsDown('urgent', classifierSure(), lexicon.normalise(text))).toBe(false);
  });

  it('stands a high rules result down when sure, keeping the rule ids and the reason (never text)', () => {
    const text = 'my stepdad hit me last night';
    const rules = rulesOnly.screenSync(text);
    expect(rules.severity).toBe('high');
    expect(screenWith(classifierSure()).screenSync(text)).toEqual({ ...noConcern(), reasons: [...rules.reasons, CLASSIFIER_STOOD_DOWN_REASON] });
  });

  it('stands down only up to the configured severity', () => {
    const text = 'my stepdad hit me last night';
    const upToMedium = classifierSure([], { ...STAND_DOWN, upTo: 'medium' });
    expect(screenWith(upToMedium).screenSync(text)).toEqual(rulesOnly.screenSync(text));
    const low = 'feeling really low and empty these days';
    expect(rulesOnly.screenSync(low).severity).toBe('medium');
    expect(screenWith(upToMedium).screenSync(low).severity).toBe('none');
  });

  it('without standDown in the settings, the classifier only raises', () => {
    const text = 'my stepdad hit me last night';
    expect(screenWith(classifierSure([], null)).screenSync(text)).toEqual(rulesOnly.screenSync(text));
  });

  it('judges every stretch of a long message: a worry in the middle of good news stands', () => {
    const text =
      'college is going well and i passed my driving theory test on friday, the new flat is lovely and warm, ' +
      'but my stepdad hit me last night when i went round for my post, anyway the kitten is settling in and eating loads';
    const rules = rulesOnly.screenSync(text);
    expect(rules.severity).toBe('high');
    // Sure of the whole message, worried by the stretch around "stepdad hit me": the rules result stands.
    const worriedByTheMiddle = classifierSure(['stepdad']);
    expect(worriedByTheMiddle.score(lexicon.normalise(text)).concern).toBe(5);
    const sureOfTheWhole = (t: string) => (t === lexicon.normalise(text) ? { urgent: -20, safeguarding: -20, concern: -20 } : worriedByTheMiddle.score(t));
    const wholeOnly = { ...worriedByTheMiddle, score: sureOfTheWhole, classify: () => ({ severity: 'none' as const, category: 'none' as const }) };
    expect(screenWith(wholeOnly).screenSync(text)).toEqual(rules);
    // Sure of every stretch too: stood down.
    expect(screenWith(classifierSure()).screenSync(text).reasons).toContain(CLASSIFIER_STOOD_DOWN_REASON);
  });

  it('is not sure enough at odds below the setting', () => {
    const text = 'my stepdad hit me last night';
    const fairlySure = { ...classifierSure(), score: () => ({ urgent: -20, safeguarding: -20, concern: -5.5 }) };
    expect(screenWith(fairlySure).screenSync(text)).toEqual(rulesOnly.screenSync(text));
  });

  it('a classifier fault while deciding leaves the rules result standing', () => {
    const text = 'my stepdad hit me last night';
    const broken = { ...classifierSure(), score: () => { throw new Error('boom'); } };
    expect(screenWith(broken).screenSync(text)).toEqual(rulesOnly.screenSync(text));
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
