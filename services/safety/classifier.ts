import naiveBayesTextClassifier from 'wink-naive-bayes-text-classifier';
import type { Normalise } from './normalise';
import type { ClassifierSettings, TrainingExample, TrainingLabel } from './schema';
import { CATEGORY_PRECEDENCE } from './rules';
import { severityRank, type Category, type ScreenResult, type Severity } from './types';

/**
 * The learned second layer of the safety screen: a naive Bayes text classifier
 * (wink-naive-bayes-text-classifier, binarised counts) over features of the NORMALISED text
 * (word unigrams, bigrams within a clause, and word prefixes), trained at start-up from the
 * moderated examples in content/safety/training-*.yaml. It generalises past the rules' exact
 * phrases ("a month's worth of my meds" ≈ "took all my tablets").
 *
 * It may only RAISE the rules' severity (see `raise`). Its thresholds are log2-odds cut-offs chosen
 * by k-fold cross-validation (classifier-cv.ts) and kept with the training data.
 *
 * Scoring: wink's naive Bayes log2 odds for a label are a sum over the known features of a
 * per-feature weight, plus a prior term. At training time every feature's weight is read back
 * from the trained wink model (`computeOdds` on that one feature, less the prior term) into a
 * table, so scoring a message is one Map look-up per feature. `scoreWithLibrary` gives the
 * library's own answer; the unit tests hold the two equal.
 */

/** Reason added when the classifier raised the severity. Never message text. */
export const CLASSIFIER_RAISED_REASON = 'model.classifier';

const RISK_LABELS = ['urgent', 'safeguarding', 'concern'] as const;
const LABELS: readonly TrainingLabel[] = ['urgent', 'safeguarding', 'concern', 'benign'];

/** log2 odds per label (higher: more likely that label than any other). */
export type LabelOdds = Record<TrainingLabel, number>;

export interface ClassifierVerdict {
  severity: Severity;
  category: Exclude<Category, 'none'> | 'none';
}

export interface SafetyClassifier {
  readonly settings: ClassifierSettings;
  /** Number of training examples and features learned. */
  readonly stats: { examples: number; features: number };
  /** The features of a normalised message (deduplicated, in a fixed order). */
  features(normalised: string): string[];
  /** log2 odds per label for a normalised message (the fast table). */
  score(normalised: string): LabelOdds;
  /** The same, computed by the library itself (slower; for tests). */
  scoreWithLibrary(normalised: string): LabelOdds;
  /** Severity and category for a normalised message, by the thresholds. */
  classify(normalised: string): ClassifierVerdict;
}

/** Clause mark and marker-free tokens. */
const CLAUSE = '.';

/** Features: unigrams, bigrams inside a clause, and `prefixLength`-letter word prefixes. */
export function featurise(normalised: string, prefixLength: number): string[] {
  const out = new Set<string>();
  let previous = '';
  let start = 0;
  const text = normalised;
  const n = text.length;
  for (let i = 0; i <= n; i++) {
    if (i < n && text.charCodeAt(i) !== 32) continue;
    if (i > start) {
      const word = text.slice(start, i);
      if (word === CLAUSE) {
        previous = '';
      } else {
        out.add(word);
        if (previous !== '') out.add(`${previous}_${word}`);
        if (prefixLength > 0 && word.length > prefixLength) out.add(`${word.slice(0, prefixLength)}~`);
        previous = word;
      }
    }
    start = i + 1;
  }
  return [...out];
}

type WinkClassifier = ReturnType<typeof naiveBayesTextClassifier>;

function trainWink(
  examples: ReadonlyArray<{ features: string[]; label: string }>,
  smoothing: number,
): WinkClassifier {
  const nb = naiveBayesTextClassifier();
  nb.defineConfig({ considerOnlyPresence: true, smoothingFactor: smoothing });
  for (const e of examples) nb.learn(e.features, e.label);
  nb.consolidate();
  return nb;
}

/**
 * Reads every feature's weight back from a trained wink model: for one known feature f,
 * computeOdds([f])[label] = w(f, label) + prior(label), with prior = log2(n_label) - log2(n_rest).
 * The odds of a message are then prior + the sum of w over its known features (0 for every label
 * when none is known), exactly as the library computes them.
 */
function compileTable(
  nb: WinkClassifier,
  examples: ReadonlyArray<{ features: string[]; label: string | undefined }>,
  labels: readonly string[],
): { size: number; score(features: readonly string[]): number[] } {
  const counts = new Map<string, number>();
  const vocabulary = new Set<string>();
  for (const e of examples) {
    counts.set(e.label!, (counts.get(e.label!) ?? 0) + 1);
    for (const f of e.features) vocabulary.add(f);
  }
  const total = examples.length;
  // a label with no examples never scores (odds 0 from the library: it is not one of its labels)
  const present = labels.map((l) => (counts.get(l) ?? 0) > 0);
  const prior = labels.map((l) => {
    const n = counts.get(l) ?? 0;
    return n > 0 ? Math.log2(n) - Math.log2(total - n) : 0;
  });
  const weights = new Map<string, Float64Array>();
  for (const feature of [...vocabulary].sort()) {
    const odds = oddsRecord(nb.computeOdds([feature]));
    weights.set(feature, Float64Array.from(labels, (l, i) => (present[i] ? (odds[l] ?? 0) - prior[i]! : 0)));
  }
  const k = labels.length;
  return {
    size: weights.size,
    score(features) {
      const sum = new Array<number>(k).fill(0);
      let known = 0;
      for (const f of features) {
        const w = weights.get(f);
        if (!w) continue;
        known++;
        for (let i = 0; i < k; i++) sum[i]! += w[i]!;
      }
      if (known === 0) return sum;
      for (let i = 0; i < k; i++) if (present[i]) sum[i]! += prior[i]!;
      return sum;
    },
  };
}

function oddsRecord(pairs: ReadonlyArray<[string, number]>): Record<string, number> {
  const r: Record<string, number> = {};
  for (const [label, value] of pairs) r[label] = value;
  return r;
}

/** Turns label odds into a severity by the thresholds. Exported for cross-validation. */
export function severityFromOdds(odds: LabelOdds, thresholds: ClassifierSettings['thresholds']): Severity {
  if (odds.urgent >= thresholds.urgent) return 'urgent';
  if (Math.max(odds.urgent, odds.safeguarding) >= thresholds.safeguarding) return 'high';
  if (Math.max(odds.urgent, odds.safeguarding, odds.concern) >= thresholds.concern) return 'medium';
  return 'none';
}

/** Which categories a classifier-only result may take at each severity. */
const ALLOWED: Record<Exclude<Severity, 'none'>, ReadonlySet<Category>> = {
  urgent: new Set<Category>(['suicide_self_harm', 'harm_from_others']),
  high: new Set<Category>(['harm_from_others', 'exploitation', 'homelessness', 'destitution', 'suicide_self_harm']),
  medium: new Set<Category>(['mental_health', 'destitution', 'homelessness', 'harm_from_others', 'suicide_self_harm', 'exploitation']),
};
const FALLBACK: Record<Exclude<Severity, 'none'>, Exclude<Category, 'none'>> = {
  urgent: 'suicide_self_harm',
  high: 'harm_from_others',
  medium: 'mental_health',
};

export interface TrainOptions {
  /** Category of each risk example when the data does not give one (e.g. from the rules). */
  categoryOf?: (example: TrainingExample, normalised: string) => Exclude<Category, 'none'> | undefined;
}

/** Trains the classifier. Deterministic: the same examples give the same model. */
export function trainSafetyClassifier(
  examples: readonly TrainingExample[],
  normalise: Normalise,
  settings: ClassifierSettings,
  options: TrainOptions = {},
): SafetyClassifier {
  const { prefixLength, smoothing, thresholds } = settings;
  const prepared = examples.map((e) => {
    const normalised = normalise(e.text);
    return { example: e, normalised, features: featurise(normalised, prefixLength), label: e.label };
  });
  const nb = trainWink(prepared, smoothing);

  // Category model: risk examples only, labelled by the data or by `categoryOf`.
  const categorised = prepared
    .filter((p) => p.label !== 'benign')
    .map((p) => ({ features: p.features, label: p.example.category ?? options.categoryOf?.(p.example, p.normalised) }))
    .filter((p): p is { features: string[]; label: Exclude<Category, 'none'> } => p.label !== undefined);
  const categoryLabels = new Set(categorised.map((c) => c.label));
  const categoryNb = categoryLabels.size >= 2 ? trainWink(categorised, smoothing) : null;
  const categoryTable = categoryNb ? compileTable(categoryNb, categorised, CATEGORY_PRECEDENCE) : null;

  const table = compileTable(nb, prepared, LABELS);
  const score = (normalised: string): LabelOdds => {
    const odds = table.score(featurise(normalised, prefixLength));
    return { urgent: odds[0]!, safeguarding: odds[1]!, concern: odds[2]!, benign: odds[3]! };
  };

  const scoreWithLibrary = (normalised: string): LabelOdds => {
    const odds = oddsRecord(nb.computeOdds(featurise(normalised, prefixLength)));
    return { urgent: odds['urgent'] ?? 0, safeguarding: odds['safeguarding'] ?? 0, concern: odds['concern'] ?? 0, benign: odds['benign'] ?? 0 };
  };

  const categoryFor = (severity: Exclude<Severity, 'none'>, features: readonly string[]): Exclude<Category, 'none'> => {
    if (!categoryTable) return FALLBACK[severity];
    const odds = categoryTable.score(features);
    const allowed = ALLOWED[severity];
    // the highest odds among the categories allowed at this severity; ties go to the fixed order
    let best: Exclude<Category, 'none'> | null = null;
    let bestOdds = -Infinity;
    CATEGORY_PRECEDENCE.forEach((category, i) => {
      if (allowed.has(category) && odds[i] !== 0 && odds[i]! > bestOdds) {
        best = category;
        bestOdds = odds[i]!;
      }
    });
    return best ?? FALLBACK[severity];
  };

  const classify = (normalised: string): ClassifierVerdict => {
    const features = featurise(normalised, prefixLength);
    const odds = table.score(features);
    const severity = severityFromOdds({ urgent: odds[0]!, safeguarding: odds[1]!, concern: odds[2]!, benign: odds[3]! }, thresholds);
    return { severity, category: severity === 'none' ? 'none' : categoryFor(severity, features) };
  };

  return {
    settings,
    stats: { examples: prepared.length, features: table.size },
    features: (normalised) => featurise(normalised, prefixLength),
    score,
    scoreWithLibrary,
    classify,
  };
}

/**
 * Final result = the rules' result, raised to the classifier's severity when that is higher.
 * Never lowers. A classifier-only `urgent` sets crisis signposting.
 */
export function raise(rules: ScreenResult, verdict: ClassifierVerdict): ScreenResult {
  if (severityRank(verdict.severity) <= severityRank(rules.severity)) return rules;
  return {
    severity: verdict.severity,
    // keep the rules' category when they saw the same kind of risk at a lower severity
    category: rules.category !== 'none' && ALLOWED[verdict.severity as Exclude<Severity, 'none'>].has(rules.category) && rules.category !== 'mental_health'
      ? rules.category
      : verdict.category,
    reasons: [...rules.reasons, CLASSIFIER_RAISED_REASON],
    about: rules.about,
    needsCrisisSignposting: verdict.severity === 'urgent' || rules.needsCrisisSignposting,
  };
}

export { RISK_LABELS };
