import type { Normalise } from './normalise';
import type { ClassifierSettings, TrainingExample, TrainingLabel } from './schema';
import { CATEGORY_PRECEDENCE } from './rules';
import { severityRank, type Category, type ScreenResult, type Severity } from './types';
import {
  featureNames,
  HashBuffer,
  hashFeatures,
  indexExamples,
  logisticRegression,
  naiveBayesWeights,
  type ClusterFeatures,
  type FeatureTable,
} from './linear';
import { loadWordClusters } from './word-clusters';

/**
 * The learned second layer of the safety screen, trained at start-up from the moderated examples
 * in content/safety/training-*.yaml. It generalises past the rules' exact phrases ("a month's
 * worth of my meds" ≈ "took all my tablets"). It RAISES the rules' severity (see `raise`); it
 * lowers only where the settings allow and it is sure a message is benign (stand-down.ts).
 *
 * The model: a multinomial logistic regression over the four labels (urgent, safeguarding,
 * concern, benign) plus, as a fixed prior term, the log2 odds of a one-vs-rest naive Bayes over
 * the same features, weighted by `bayesWeight` (an interpolation in the spirit of NBSVM, Wang and
 * Manning 2012). Features are word unigrams, bigrams inside a clause, word prefixes and, when
 * `settings.clusters` asks, word-cluster ids (services/safety/word-clusters.tsv) of the
 * NORMALISED text (linear.ts). In 10-fold cross-validation the pair beats either model alone:
 * naive Bayes is overconfident and logistic regression alone is weaker on safeguarding, and they
 * err on different messages (see classifier-cv.ts and content/safety/README.md).
 *
 * Scores are log2 odds that a message is AT LEAST urgent, at least high (urgent or
 * safeguarding), at least medium (any risk):
 *   logistic part   log2 of P(labels at or above) / P(labels below), from the softmax
 *   naive Bayes     bayesWeight × the highest one-vs-rest log2 odds among the labels at or above
 * and `thresholds` (chosen by cross-validation, kept with the training data) turn them into a
 * severity. The category of a classifier-only result comes from a one-vs-rest naive Bayes over the
 * categorised risk examples, among the categories allowed at that severity.
 *
 * Training is deterministic (fixed order, fixed-seed shuffle, fixed epochs). Scoring hashes the
 * message's features (no strings), looks each up once in a table of weight rows, and sums.
 */

/** Reason added when the classifier raised the severity. Never message text. */
export const CLASSIFIER_RAISED_REASON = 'model.classifier';

const LABELS: readonly TrainingLabel[] = ['urgent', 'safeguarding', 'concern', 'benign'];

/** log2 odds that a message is at least urgent, at least high, at least medium. */
export interface SeverityScores {
  urgent: number;
  safeguarding: number;
  concern: number;
}

export interface ClassifierVerdict {
  severity: Severity;
  category: Exclude<Category, 'none'> | 'none';
}

export interface SafetyClassifier {
  readonly settings: ClassifierSettings;
  /** Number of training examples and of distinct features learned. */
  readonly stats: { examples: number; features: number };
  /** The features of a normalised message, by name, in scan order (duplicates kept). */
  features(normalised: string): string[];
  /** Severity scores (log2 odds) of a normalised message. */
  score(normalised: string): SeverityScores;
  /** The category the model would give a normalised message at this severity. */
  category(normalised: string, severity: Exclude<Severity, 'none'>): Exclude<Category, 'none'>;
  /** Severity and category of a normalised message, by the thresholds. */
  classify(normalised: string): ClassifierVerdict;
  /** `classify`, with the scores it was decided on. */
  assess(normalised: string): { verdict: ClassifierVerdict; scores: SeverityScores };
}

/** Turns severity scores into a severity by the thresholds. Exported for cross-validation. */
export function severityFromScores(scores: SeverityScores, thresholds: ClassifierSettings['thresholds']): Severity {
  if (scores.urgent >= thresholds.urgent) return 'urgent';
  if (scores.safeguarding >= thresholds.safeguarding) return 'high';
  if (scores.concern >= thresholds.concern) return 'medium';
  return 'none';
}

/** Which categories a classifier-only result may take at each severity. */
const ALLOWED: Record<Exclude<Severity, 'none'>, ReadonlySet<Category>> = {
  urgent: new Set<Category>(['suicide_self_harm', 'harm_from_others', 'medical_emergency']),
  high: new Set<Category>(['harm_from_others', 'exploitation', 'homelessness', 'destitution', 'suicide_self_harm', 'medical_emergency']),
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

/** Columns of the severity weight row: naive Bayes urgent, safeguarding, concern; logistic urgent … benign. */
const NB = 0;
const LR = 3;
const WIDTH = 7;
const LOG2E = Math.LOG2E;

function logSumExp2(a: number, b: number): number {
  const m = a > b ? a : b;
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}
function logSumExp3(a: number, b: number, c: number): number {
  const m = Math.max(a, b, c);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m) + Math.exp(c - m));
}

/** The cluster features the settings ask for, or null (none asked for: the table is not read). */
export function clusterFeaturesOf(settings: ClassifierSettings): ClusterFeatures | null {
  const c = settings.clusters;
  if (!c || !(c.coarse || c.fine || c.bigrams)) return null;
  return { table: loadWordClusters(), coarse: c.coarse, fine: c.fine, bigrams: c.bigrams };
}

/** Trains the classifier. Deterministic: the same examples in the same order give the same model. */
export function trainSafetyClassifier(
  examples: readonly TrainingExample[],
  normalise: Normalise,
  settings: ClassifierSettings,
  options: TrainOptions = {},
): SafetyClassifier {
  const { prefixLength, smoothing, thresholds, bayesWeight } = settings;
  const clusters = clusterFeaturesOf(settings);
  const buffer = new HashBuffer();
  const normalised = examples.map((e) => normalise(e.text));
  const { table, rows } = indexExamples(
    normalised.map((text) => {
      hashFeatures(text, prefixLength, buffer, clusters);
      return buffer.toArray();
    }),
  );
  const F = table.size;
  const labels = examples.map((e) => LABELS.indexOf(e.label));

  // Severity: naive Bayes (urgent, safeguarding, concern one-vs-rest) and logistic regression, side by side.
  const nb = naiveBayesWeights(rows, labels, LABELS.length, F, smoothing);
  const lr = logisticRegression(rows, labels, LABELS.length, F, { l2: settings.l2, epochs: settings.epochs });
  const weights = new Float64Array(F * WIDTH);
  for (let f = 0; f < F; f++) {
    for (let c = 0; c < 3; c++) weights[f * WIDTH + NB + c] = nb.weights[f * 4 + c]!;
    for (let c = 0; c < 4; c++) weights[f * WIDTH + LR + c] = lr.weights[f * 4 + c]!;
  }
  const bias = Float64Array.from([nb.prior[0]!, nb.prior[1]!, nb.prior[2]!, ...lr.bias]);

  // Category: naive Bayes over the risk examples that have one (given, or from `categoryOf`).
  const categoryRows: Int32Array[] = [];
  const categoryLabels: number[] = [];
  examples.forEach((example, i) => {
    if (example.label === 'benign') return;
    const category = example.category ?? options.categoryOf?.(example, normalised[i]!);
    if (category === undefined) return;
    categoryRows.push(rows[i]!);
    categoryLabels.push(CATEGORY_PRECEDENCE.indexOf(category));
  });
  const C = CATEGORY_PRECEDENCE.length;
  const categoryModel =
    new Set(categoryLabels).size >= 2 ? naiveBayesWeights(categoryRows, categoryLabels, C, F, smoothing) : null;

  return compile(settings, clusters, examples.length, table, weights, bias, bayesWeight, thresholds, categoryModel);
}

function compile(
  settings: ClassifierSettings,
  clusters: ClusterFeatures | null,
  exampleCount: number,
  table: FeatureTable,
  weights: Float64Array,
  bias: Float64Array,
  bayesWeight: number,
  thresholds: ClassifierSettings['thresholds'],
  categoryModel: { weights: Float64Array; prior: Float64Array } | null,
): SafetyClassifier {
  const { prefixLength } = settings;
  const C = CATEGORY_PRECEDENCE.length;
  // Scratch space, reused: scoring is synchronous, so never shared between two calls.
  const buffer = new HashBuffer();
  const seen = new Uint32Array(table.size);
  let stamp = 0;
  let known = new Int32Array(64);
  let knownCount = 0;
  const sum = new Float64Array(WIDTH);

  /** Sums the weight rows of the message's distinct known features into `sum` (and lists them in `known`). */
  const accumulate = (text: string): void => {
    hashFeatures(text, prefixLength, buffer, clusters);
    if (++stamp === 0xffffffff) {
      seen.fill(0);
      stamp = 1;
    }
    sum.set(bias);
    knownCount = 0;
    const hashes = buffer.data;
    for (let i = 0; i < buffer.length; i++) {
      const index = table.get(hashes[i]!);
      if (index < 0 || seen[index] === stamp) continue;
      seen[index] = stamp;
      if (knownCount === known.length) {
        const bigger = new Int32Array(known.length * 2);
        bigger.set(known);
        known = bigger;
      }
      known[knownCount++] = index;
      const base = index * WIDTH;
      for (let k = 0; k < WIDTH; k++) sum[k]! += weights[base + k]!;
    }
  };

  const scoresFromSum = (): SeverityScores => {
    const nbU = bayesWeight * sum[NB]!;
    const nbS = Math.max(nbU, bayesWeight * sum[NB + 1]!);
    const nbC = Math.max(nbS, bayesWeight * sum[NB + 2]!);
    const u = sum[LR]!;
    const s = sum[LR + 1]!;
    const c = sum[LR + 2]!;
    const b = sum[LR + 3]!;
    return {
      urgent: nbU + (u - logSumExp3(s, c, b)) * LOG2E,
      safeguarding: nbS + (logSumExp2(u, s) - logSumExp2(c, b)) * LOG2E,
      concern: nbC + (logSumExp3(u, s, c) - b) * LOG2E,
    };
  };

  /** The category for the features in `known`, among those allowed at `severity`. */
  const categoryOfKnown = (severity: Exclude<Severity, 'none'>): Exclude<Category, 'none'> => {
    if (!categoryModel) return FALLBACK[severity];
    const odds = Float64Array.from(categoryModel.prior);
    for (let i = 0; i < knownCount; i++) {
      const base = known[i]! * C;
      for (let c = 0; c < C; c++) odds[c]! += categoryModel.weights[base + c]!;
    }
    const allowed = ALLOWED[severity];
    // the highest odds among the categories allowed at this severity; ties go to the fixed order
    let best: Exclude<Category, 'none'> = FALLBACK[severity];
    let bestOdds = -Infinity;
    CATEGORY_PRECEDENCE.forEach((category, c) => {
      if (allowed.has(category) && odds[c]! > bestOdds) {
        best = category;
        bestOdds = odds[c]!;
      }
    });
    return best;
  };

  const assess = (normalised: string): { verdict: ClassifierVerdict; scores: SeverityScores } => {
    accumulate(normalised);
    const scores = scoresFromSum();
    const severity = severityFromScores(scores, thresholds);
    return { verdict: { severity, category: severity === 'none' ? 'none' : categoryOfKnown(severity) }, scores };
  };

  return {
    settings,
    stats: { examples: exampleCount, features: table.size },
    features: (normalised) => featureNames(normalised, prefixLength, clusters),
    score(normalised) {
      accumulate(normalised);
      return scoresFromSum();
    },
    category(normalised, severity) {
      accumulate(normalised);
      return categoryOfKnown(severity);
    },
    classify: (normalised) => assess(normalised).verdict,
    assess,
  };
}

/**
 * Final result = the rules' result, raised to the classifier's severity when that is higher.
 * Never lowers. A classifier-only `urgent` sets crisis signposting.
 */
export function raise(rules: ScreenResult, verdict: ClassifierVerdict, reason: string = CLASSIFIER_RAISED_REASON): ScreenResult {
  if (severityRank(verdict.severity) <= severityRank(rules.severity)) return rules;
  return {
    severity: verdict.severity,
    // keep the rules' category when they saw the same kind of risk at a lower severity
    category: rules.category !== 'none' && ALLOWED[verdict.severity as Exclude<Severity, 'none'>].has(rules.category) && rules.category !== 'mental_health'
      ? rules.category
      : verdict.category,
    reasons: [...rules.reasons, reason],
    about: rules.about,
    needsCrisisSignposting: verdict.severity === 'urgent' || rules.needsCrisisSignposting,
  };
}
