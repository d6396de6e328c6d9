import { loadSafetyLexicon, type SafetyLexicon } from './load-lexicon';
import { mulberry32 } from './linear';
import { severityFromScores, trainSafetyClassifier, type SafetyClassifier, type SeverityScores } from './classifier';
import type { ClassifierSettings, TrainingExample, TrainingLabel } from './schema';
import { maxSeverity, severityRank, type Category, type ScreenResult, type Severity } from './types';
import { standsDown } from './stand-down';

/**
 * k-fold cross-validation of the safety classifier on its moderated training data, and the
 * threshold search that picks `training.classifier.thresholds` (content/safety/training-gaps.yaml).
 *
 *   npm run build --silent && node dist/services/safety/classifier-cv.js [--folds 10] [--curve] [--max-false-alarms 0.04]
 *     [--clusters none|c|f|cf|cb|cfb]
 *     [--search [--smoothing 0.25,0.5] [--prefix 0,6] [--bayes-weight 0,0.33,1] [--l2 0.00001,0.0001] [--epochs 20]]
 *
 * Folds are stratified by label and drawn with a fixed seed, so the figures are reproducible. Each
 * example is scored by a model that never saw it (out-of-fold). Reported, for the classifier alone
 * and for the screen (max of rules and classifier): urgent recall (urgent), safeguarding recall
 * (high or above), concern handled (medium or above), benign false alarms (medium or above) and
 * benign crisis signposting (urgent); and how often the classifier names the example's category
 * (risk examples with a category, at their own severity).
 *
 * The search (and --search, over settings too) picks thresholds that maximise
 * 3 x urgent + 2 x safeguarding + 1 x concern recall of the classifier alone (out-of-fold), subject
 * to: the screen's benign false alarms <= 4% (--max-false-alarms sets another limit, for when the
 * rules alone are already over it) and the classifier's benign urgent <= 2%. --curve prints the
 * best figures the same search reaches with the false-alarm limit at 4% to 8%.
 *
 * The rules were written against these same examples, so the screen's figures are optimistic;
 * the classifier-alone figures are the honest estimate of what the model adds on unseen wording.
 * (The rules' result for each example is the same in every fold: the rules are not refit.)
 */

export interface OutOfFold {
  example: TrainingExample;
  scores: SeverityScores;
  /** The rules' result as the screen uses it: none when this fold's classifier stands it down. */
  rules: Severity;
  /** The rules' own result. */
  rulesAlone: Severity;
  /** The category the model gives the example at its own label's severity (risk examples only). */
  category: Exclude<Category, 'none'> | null;
}

export interface CvFigures {
  urgentRecall: number;
  safeguardingRecall: number;
  concernHandled: number;
  benignFalseAlarms: number;
  benignUrgent: number;
  counts: Record<TrainingLabel, number>;
}


/** Stratified fold number for each example. */
export function assignFolds(examples: readonly TrainingExample[], folds: number, seed = 20260520): number[] {
  const rand = mulberry32(seed);
  const out = new Array<number>(examples.length).fill(0);
  const byLabel = new Map<string, number[]>();
  examples.forEach((e, i) => byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), i]));
  for (const label of [...byLabel.keys()].sort()) {
    const idx = byLabel.get(label)!;
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    idx.forEach((exampleIndex, k) => {
      out[exampleIndex] = k % folds;
    });
  }
  return out;
}

const SEVERITY_OF_LABEL: Record<TrainingLabel, Severity> = { urgent: 'urgent', safeguarding: 'high', concern: 'medium', benign: 'none' };

export function outOfFold(
  lexicon: SafetyLexicon,
  examples: readonly TrainingExample[],
  settings: ClassifierSettings,
  folds: number,
  /** Told each example with the model that never saw it (for other measures of the same folds). */
  inspect?: (index: number, model: SafetyClassifier, normalised: string, rules: ScreenResult) => void,
): OutOfFold[] {
  const fold = assignFolds(examples, folds);
  const result: OutOfFold[] = new Array(examples.length);
  for (let f = 0; f < folds; f++) {
    const train = examples.filter((_, i) => fold[i] !== f);
    const model = trainSafetyClassifier(train, lexicon.normalise, settings);
    examples.forEach((example, i) => {
      if (fold[i] !== f) return;
      const normalised = lexicon.normalise(example.text);
      const severity = SEVERITY_OF_LABEL[example.label];
      const rules = lexicon.rules.classify(normalised);
      inspect?.(i, model, normalised, rules);
      result[i] = {
        example,
        scores: model.score(normalised),
        rules: standsDown(rules, model, normalised, lexicon.rules.neverStoodDown) ? 'none' : rules.severity,
        rulesAlone: rules.severity,
        category: severity === 'none' ? null : model.category(normalised, severity),
      };
    });
  }
  return result;
}

export function figures(oof: readonly OutOfFold[], thresholds: ClassifierSettings['thresholds'], withRules: boolean): CvFigures {
  return tally(
    oof.map((o) => {
      const model = severityFromScores(o.scores, thresholds);
      return { label: o.example.label, severity: withRules ? maxSeverity(model, o.rules) : model };
    }),
  );
}

/** The figures of labelled examples judged at these severities. */
export function tally(judged: Iterable<{ label: TrainingLabel; severity: Severity }>): CvFigures {
  const hit = { urgent: 0, safeguarding: 0, concern: 0, benign: 0 };
  const counts = { urgent: 0, safeguarding: 0, concern: 0, benign: 0 };
  let benignUrgent = 0;
  for (const { label, severity } of judged) {
    const rank = severityRank(severity);
    counts[label]++;
    if (label === 'urgent' && rank >= 3) hit.urgent++;
    if (label === 'safeguarding' && rank >= 2) hit.safeguarding++;
    if (label === 'concern' && rank >= 1) hit.concern++;
    if (label === 'benign' && rank >= 1) hit.benign++;
    if (label === 'benign' && rank >= 3) benignUrgent++;
  }
  const r = (n: number, d: number) => (d === 0 ? 0 : n / d);
  return {
    urgentRecall: r(hit.urgent, counts.urgent),
    safeguardingRecall: r(hit.safeguarding, counts.safeguarding),
    concernHandled: r(hit.concern, counts.concern),
    benignFalseAlarms: r(hit.benign, counts.benign),
    benignUrgent: r(benignUrgent, counts.benign),
    counts,
  };
}

/**
 * Limits for the search, on a benign set that is about half hard near-misses ("my boss will kill
 * me", razors for shaving), so stricter than everyday traffic: a point under the 5% false-alarm
 * target, and crisis signposting for at most 1 in 50 of those near-misses.
 */
export const MAX_CV_BENIGN_FALSE_ALARMS = 0.04;
export const MAX_CV_BENIGN_URGENT = 0.02;

/** The share of categorised risk examples whose category the model names (out-of-fold). */
export function categoryAgreement(oof: readonly OutOfFold[]): number {
  let agree = 0;
  let total = 0;
  for (const o of oof) {
    if (o.category === null || o.example.category === undefined) continue;
    total++;
    if (o.category === o.example.category) agree++;
  }
  return total === 0 ? 0 : agree / total;
}

/** The threshold grid: log2 odds from -4 to 24 in halves. */
const GRID: readonly number[] = Array.from({ length: 57 }, (_, i) => -4 + i / 2);

/**
 * Picks thresholds on out-of-fold scores (see the file comment for the objective and limits).
 * Ties go to the higher (more cautious about false alarms) thresholds. Returns objective -1 and
 * thresholds of +Infinity when no thresholds meet the limits.
 */
export function searchThresholds(
  oof: readonly OutOfFold[],
  limits: { falseAlarms: number; benignUrgent: number } = { falseAlarms: MAX_CV_BENIGN_FALSE_ALARMS, benignUrgent: MAX_CV_BENIGN_URGENT },
): { thresholds: ClassifierSettings['thresholds']; objective: number } {
  const n = oof.length;
  const su = new Float64Array(n);
  const ss = new Float64Array(n);
  const sc = new Float64Array(n);
  const rules = new Int8Array(n);
  const label = new Int8Array(n); // 3 urgent, 2 safeguarding, 1 concern, 0 benign
  const counts = [0, 0, 0, 0];
  const rank: Record<TrainingLabel, number> = { benign: 0, concern: 1, safeguarding: 2, urgent: 3 };
  oof.forEach((o, i) => {
    su[i] = o.scores.urgent;
    ss[i] = o.scores.safeguarding;
    sc[i] = o.scores.concern;
    rules[i] = severityRank(o.rules);
    label[i] = rank[o.example.label];
    counts[label[i]!]!++;
  });
  const maxFalseAlarms = Math.floor(limits.falseAlarms * counts[0]! + 1e-9);
  const maxBenignUrgent = Math.floor(limits.benignUrgent * counts[0]! + 1e-9);
  const weight = [0, 1 / Math.max(counts[1]!, 1), 2 / Math.max(counts[2]!, 1), 3 / Math.max(counts[3]!, 1)];
  let best = { thresholds: { urgent: Infinity, safeguarding: Infinity, concern: Infinity }, objective: -1 };
  for (const urgent of GRID) {
    for (const safeguarding of GRID) {
      if (safeguarding > urgent + 10) continue;
      for (const concern of GRID) {
        let falseAlarms = 0;
        let benignUrgent = 0;
        let objective = 0;
        for (let i = 0; i < n; i++) {
          const model = su[i]! >= urgent ? 3 : ss[i]! >= safeguarding ? 2 : sc[i]! >= concern ? 1 : 0;
          const l = label[i]!;
          if (l === 0) {
            if (model >= 1 || rules[i]! >= 1) falseAlarms++;
            if (model === 3) benignUrgent++;
          } else if (model >= l) objective += weight[l]!;
        }
        if (falseAlarms > maxFalseAlarms || benignUrgent > maxBenignUrgent) continue;
        if (objective >= best.objective) best = { thresholds: { urgent, safeguarding, concern }, objective };
      }
    }
  }
  return best;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
function show(name: string, f: CvFigures): string {
  return `${name.padEnd(26)} urgent ${pct(f.urgentRecall).padStart(6)}  safeguarding ${pct(f.safeguardingRecall).padStart(6)}  concern ${pct(f.concernHandled).padStart(6)}  benign false alarms ${pct(f.benignFalseAlarms).padStart(5)}  benign urgent ${pct(f.benignUrgent)}`;
}

function numberList(argv: readonly string[], flag: string, fallback: number[]): number[] {
  const i = argv.indexOf(flag);
  return i >= 0 ? argv[i + 1]!.split(',').map(Number) : fallback;
}

/** --clusters none|c|f|cf|cb|cfb…: coarse (c), fine (f) and coarse-bigram (b) cluster features, overriding the settings. */
function withClusters(argv: readonly string[], settings: ClassifierSettings): ClassifierSettings {
  const i = argv.indexOf('--clusters');
  if (i < 0) return settings;
  const spec = argv[i + 1] ?? 'none';
  return { ...settings, clusters: { coarse: spec.includes('c'), fine: spec.includes('f'), bigrams: spec.includes('b') } };
}

function settingsTrials(argv: readonly string[], settings: ClassifierSettings): ClassifierSettings[] {
  const trials: ClassifierSettings[] = [];
  for (const smoothing of numberList(argv, '--smoothing', [settings.smoothing]))
    for (const prefixLength of numberList(argv, '--prefix', [settings.prefixLength]))
      for (const bayesWeight of numberList(argv, '--bayes-weight', [0, settings.bayesWeight, 1]))
        for (const l2 of numberList(argv, '--l2', [settings.l2]))
          for (const epochs of numberList(argv, '--epochs', [settings.epochs]))
            trials.push({ ...settings, smoothing, prefixLength, bayesWeight, l2, epochs });
  return trials;
}

function main(): void {
  const argv = process.argv;
  const foldsArg = argv.indexOf('--folds');
  const folds = foldsArg >= 0 ? Number(argv[foldsArg + 1]) : 10;
  const lexicon = loadSafetyLexicon();
  if (!lexicon.training) throw new Error('no published safety-training files in content/safety');
  const { examples } = lexicon.training;
  const settings = withClusters(argv, lexicon.training.settings);
  const limits = { falseAlarms: numberList(argv, '--max-false-alarms', [MAX_CV_BENIGN_FALSE_ALARMS])[0]!, benignUrgent: MAX_CV_BENIGN_URGENT };
  console.log(`safety classifier: ${folds}-fold stratified cross-validation over ${examples.length} training examples`);

  if (argv.includes('--search')) {
    for (const trial of settingsTrials(argv, settings)) {
      const oof = outOfFold(lexicon, examples, trial, folds);
      const { thresholds, objective } = searchThresholds(oof, limits);
      const { thresholds: _, ...rest } = trial;
      console.log(`${JSON.stringify(rest)}: objective ${objective.toFixed(3)} thresholds ${JSON.stringify(thresholds)}`);
      console.log(`  ${show('classifier alone', figures(oof, thresholds, false))}`);
      console.log(`  ${show('rules + classifier', figures(oof, thresholds, true))}`);
    }
    return;
  }
  const started = process.hrtime.bigint();
  const oof = outOfFold(lexicon, examples, settings, folds);
  const perFold = Number(process.hrtime.bigint() - started) / 1e6 / folds;
  const counts = figures(oof, settings.thresholds, false).counts;
  console.log(`  labels: urgent ${counts.urgent}, safeguarding ${counts.safeguarding}, concern ${counts.concern}, benign ${counts.benign}`);
  console.log(`  settings: ${JSON.stringify(settings)}`);
  const rulesAlone = oof.map((o) => ({ ...o, rules: o.rulesAlone }));
  console.log(`  ${show('rules alone', figures(rulesAlone, { urgent: Infinity, safeguarding: Infinity, concern: Infinity }, true))}`);
  if (settings.standDown) console.log(`  ${show('rules + stand-down', figures(oof, { urgent: Infinity, safeguarding: Infinity, concern: Infinity }, true))}`);
  console.log(`  ${show('classifier alone (CV)', figures(oof, settings.thresholds, false))}`);
  console.log(`  ${show('rules + classifier (CV)', figures(oof, settings.thresholds, true))}`);
  console.log(`  category named (categorised risk examples, out-of-fold): ${pct(categoryAgreement(oof))}; training and scoring ${perFold.toFixed(0)} ms per fold`);
  const best = searchThresholds(oof, limits);
  console.log(
    best.objective < 0
      ? `  no thresholds keep the screen's benign false alarms <= ${pct(limits.falseAlarms)} (see --curve)`
      : `  thresholds the search would pick for these settings (false alarms <= ${pct(limits.falseAlarms)}): ${JSON.stringify(best.thresholds)}`,
  );
  if (argv.includes('--curve')) {
    for (const falseAlarms of [0.04, 0.05, 0.06, 0.07, 0.08]) {
      const { thresholds, objective } = searchThresholds(oof, { falseAlarms, benignUrgent: MAX_CV_BENIGN_URGENT });
      if (objective < 0) {
        console.log(`  screen false alarms <= ${pct(falseAlarms)}: no thresholds meet the limits`);
        continue;
      }
      console.log(`  screen false alarms <= ${pct(falseAlarms)}: thresholds ${JSON.stringify(thresholds)}`);
      console.log(`    ${show('classifier alone', figures(oof, thresholds, false))}`);
      console.log(`    ${show('rules + classifier', figures(oof, thresholds, true))}`);
    }
  }
}

if (require.main === module) main();
