import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { RunnableLambda, RunnableSequence, type Runnable } from '@langchain/core/runnables';
import fs from 'node:fs';
import path from 'node:path';
import { defaultSafetyDir, loadSafetyLexicon, type SafetyLexicon } from './load-lexicon';
import { raise, trainSafetyClassifier, type SafetyClassifier } from './classifier';
import { askSecondOpinion, type SecondOpinionOutcome } from './second-opinion';
import { localSentenceEncoder } from './sentence-encoder';
import { createSentenceReading, readSentenceReading, type SentenceReading } from './sentence-reading';
import { withSentenceReading, type FirstReadings, type ReadingSetUp } from './sentence-reading-step';
import { standsDown, stoodDown } from './stand-down';
import { noConcern, SCREEN_ERROR_REASON, severityRank, type ScreenResult } from './types';

export { SENTENCE_READING_FAILED_REASON, SENTENCE_READING_RAISED_REASON, SENTENCE_READING_STOOD_DOWN_REASON } from './sentence-reading-step';

/**
 * The safety screen (DESIGN.md rule 1): every inbound message passes it before any dialog runs.
 *
 *   normalise → rules → classifier → sentence reading → second opinion (optional language model) → decision
 *
 * built as a @langchain/core RunnableSequence of RunnableLambdas. The rules are moderated data
 * (content/safety/*.yaml), compiled once. The classifier (classifier.ts) is a linear model (logistic
 * regression with a naive Bayes prior term) trained at start-up from the moderated examples
 * (content/safety/training-*.yaml); it RAISES the rules' severity (reason `model.classifier`), and
 * a classifier-only `urgent` carries crisis signposting. Where the training settings allow, it also
 * stands a medium or high rules result down when it is sure the message is benign (reason
 * `model.stood_down`; see stand-down.ts). The sentence reading (sentence-reading.ts) reads a message
 * again when the classifier leans towards urgent without calling it urgent, and may raise it to
 * urgent (reason `model.sentence_reading`). An urgent rules result stands unless the settings'
 * `standDownUrgent` allow and BOTH learned readings are sure the message is benign; then it becomes
 * a concern (medium), never nothing (never a medical emergency, a report about someone else, or one
 * the classifier raised; reasons `model.stood_down`, `model.sentence_reading_agrees`). The reading
 * runs on a worker thread of this process (sentence-reading-step.ts), time-boxed (default 1000 ms),
 * and on failure the result so far stands. The second
 * opinion is any BaseChatModel; it may only RAISE the severity, is time-boxed (default 1500 ms),
 * and on failure, timeout or a garbled answer the result so far (rules and classifier) stands. Its
 * text is never shown or logged.
 *
 * `screenSync` is the fast path (rules and classifier, no sentence reading, no language model, no Runnable
 * overhead); `screen` gives the same result for every message the sentence reading is not asked about.
 *
 * Privacy: nothing here logs message text. LangChain's tracing and verbose modes would record the
 * text of every message (to the console or to LangSmith), so the screen refuses to start when they
 * are switched on through the environment.
 */
export interface SafetyScreenOptions {
  /** The compiled lexicon; default: `loadSafetyLexicon()` (content/safety). */
  lexicon?: SafetyLexicon;
  /** Optional second opinion. Any LangChain chat model. */
  model?: BaseChatModel;
  /** Time box for the second opinion, in ms. Default 1500. */
  timeoutMs?: number;
  /**
   * The learned classifier; default: trained from the lexicon's training data (none when the
   * folder has no training files). `false` switches it off (rules only).
   */
  classifier?: SafetyClassifier | false;
  /**
   * The sentence reading; default: the trained one (services/safety/sentence-reading.json) when
   * the screen uses the shipped lexicon and its settings ask for it. `false` switches it off.
   */
  sentenceReading?: SentenceReading | false;
  /** Time box for the sentence reading, in ms. Default 1000. */
  sentenceReadingTimeoutMs?: number;
}

export interface SafetyScreen {
  /** The whole screen: rules, classifier, sentence reading, and the model's second opinion if one is configured. Never throws. */
  screen(text: string): Promise<ScreenResult>;
  /** Rules and classifier, synchronous: the fast path (no sentence reading, no language model). Never throws. */
  screenSync(text: string): ScreenResult;
  /** Loads the sentence encoder now, if this screen uses one (it is loaded on first use otherwise). */
  warmUp(): Promise<void>;
  /** The underlying Runnable (input: the message text). */
  readonly pipeline: Runnable<string, ScreenResult>;
  readonly lexicon: SafetyLexicon;
  /** The learned classifier in use, or null (rules only). */
  readonly classifier: SafetyClassifier | null;
}

export const DEFAULT_SECOND_OPINION_TIMEOUT_MS = 1500;

export const DEFAULT_SENTENCE_READING_TIMEOUT_MS = 1000;


/** Reason added when the second opinion raised the severity. */
export const LLM_RAISED_REASON = 'llm.second_opinion_raised';

const TRACING_ENV = ['LANGSMITH_TRACING_V2', 'LANGCHAIN_TRACING_V2', 'LANGSMITH_TRACING', 'LANGCHAIN_TRACING', 'LANGCHAIN_VERBOSE'];

export class SafetyScreenConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetyScreenConfigError';
  }
}

interface Screened {
  text: string;
  normalised: string;
  rules: ScreenResult;
  opinion: SecondOpinionOutcome | null;
}


/** The marker the lexicon's guarded neutralisers of hyperbole about the writer leave (content/safety/lexicon-core.yaml, `marker: hyperbole`). */
const HYPERBOLE_MARKER = /(?:^| )hyperbole(?= |$)/;

/**
 * Raises the rules' result with the classifier's verdict, or stands a medium or high one down when
 * the classifier is sure the message is benign (stand-down.ts); a classifier fault leaves the rules' result.
 */
function withClassifier(
  classifier: SafetyClassifier | null,
  normalised: string,
  rules: ScreenResult,
  kept: ReadonlySet<string>,
  saidAsHyperbole: (normalised: string) => boolean = () => false,
): FirstReadings {
  // Nothing to raise above urgent (only the sentence reading may stand it down); an error result stays as it is.
  if (!classifier || rules.severity === 'urgent' || normalised.length === 0) return { result: rules, urgentScore: null };
  try {
    const { verdict, scores } = classifier.assess(normalised);
    // Only a message the classifier finds no risk in can be one it is sure is benign.
    if (verdict.severity === 'none' && standsDown(rules, classifier, normalised, kept)) return { result: stoodDown(rules), urgentScore: scores.urgent };
    // The classifier reads the words a guarded hyperbole neutraliser took out ("kms i just fell up the stairs"): they alone raise
    // nothing, and the sentence reading, which would read the same words, is not asked.
    if (rules.severity === 'none' && verdict.severity !== 'none' && saidAsHyperbole(normalised)) return { result: rules, urgentScore: null };
    return { result: raise(rules, verdict), urgentScore: scores.urgent };
  } catch {
    return { result: rules, urgentScore: null };
  }
}

/** The shipped sentence reading for the shipped lexicon's settings, or null (not asked for, or not trained). */
function shippedSentenceReading(): SentenceReading | null {
  const trained = readSentenceReading();
  return trained ? createSentenceReading(trained, localSentenceEncoder()) : null;
}

function trainFrom(lexicon: SafetyLexicon): SafetyClassifier | null {
  return lexicon.training ? trainSafetyClassifier(lexicon.training.examples, lexicon.normalise, lexicon.training.settings) : null;
}

/**
 * The shipped lexicon and its trained classifier, built once per process for each version of the
 * files in content/safety and its folders (their names, sizes and change times): loading and training take about
 * a second, and several apps may share a process (tests, a restart in place).
 */
interface ShippedParts {
  lexicon: SafetyLexicon;
  classifier: SafetyClassifier | null;
  reading: SentenceReading | null;
}

let shippedCache: (ShippedParts & { key: string }) | null = null;

function shippedScreenParts(): ShippedParts {
  const dir = defaultSafetyDir();
  let key: string;
  try {
    key = fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .map((name) => {
        const stat = fs.statSync(path.join(dir, name));
        return `${name}:${stat.size}:${stat.mtimeMs}`;
      })
      .join('|');
  } catch {
    key = '';
  }
  if (!shippedCache || shippedCache.key !== key || key === '') {
    const lexicon = loadSafetyLexicon(dir);
    const reading = lexicon.training?.settings.sentenceReading ? shippedSentenceReading() : null;
    shippedCache = { key, lexicon, classifier: trainFrom(lexicon), reading };
  }
  return shippedCache;
}

/** Applies a second opinion to the rules result: it may raise, never lower. */
export function decide(rules: ScreenResult, opinion: SecondOpinionOutcome | null): ScreenResult {
  if (!opinion || opinion.status !== 'label') return rules;
  const { label } = opinion;
  if (severityRank(label.severity) <= severityRank(rules.severity)) return rules;
  return {
    severity: label.severity,
    category: label.category,
    reasons: [...rules.reasons, LLM_RAISED_REASON],
    about: label.about ?? rules.about,
    needsCrisisSignposting: label.severity === 'urgent' || rules.needsCrisisSignposting,
  };
}

function asText(input: unknown): string {
  return typeof input === 'string' ? input : '';
}

export function createSafetyScreen(options: SafetyScreenOptions = {}): SafetyScreen {
  const switchedOn = TRACING_ENV.filter((name) => process.env[name] === 'true');
  if (switchedOn.length > 0) {
    throw new SafetyScreenConfigError(
      `the safety screen will not run with ${switchedOn.join(', ')}=true: LangChain would record the text of young people's messages`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_SECOND_OPINION_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new SafetyScreenConfigError(`timeoutMs must be a positive number of milliseconds (got ${String(timeoutMs)})`);
  }
  const shipped = options.lexicon ? null : shippedScreenParts();
  const lexicon = options.lexicon ?? shipped!.lexicon;
  const model = options.model;
  const classifier =
    options.classifier === false
      ? null
      : (options.classifier ?? (shipped ? shipped.classifier : trainFrom(lexicon)));

  const readingTimeoutMs = options.sentenceReadingTimeoutMs ?? DEFAULT_SENTENCE_READING_TIMEOUT_MS;
  if (!Number.isFinite(readingTimeoutMs) || readingTimeoutMs <= 0) {
    throw new SafetyScreenConfigError(`sentenceReadingTimeoutMs must be a positive number of milliseconds (got ${String(readingTimeoutMs)})`);
  }
  const reading = options.sentenceReading === false ? null : (options.sentenceReading ?? shipped?.reading ?? null);
  const readingSettings = classifier?.settings.sentenceReading;
  const readingSetUp: ReadingSetUp | null =
    reading && classifier && readingSettings
      ? { reading, settings: readingSettings, classifier, timeoutMs: readingTimeoutMs, kept: lexicon.rules.neverStoodDown }
      : null;

  /** A hyperbole neutraliser left its marker: run only when the classifier would raise a message the rules let pass (rare). */
  const saidAsHyperbole = (normalised: string): boolean => HYPERBOLE_MARKER.test(lexicon.rules.neutralise(normalised));

  /** Rules and classifier, and what the sentence reading needs to know. */
  const firstReadings = (text: string): FirstReadings & { normalised: string } => {
    if (text.length === 0) return { result: noConcern(), urgentScore: null, normalised: '' };
    let normalised: string;
    let rules: ScreenResult;
    try {
      normalised = lexicon.normalise(text);
      rules = lexicon.rules.classify(normalised);
    } catch {
      // A bug in the rules must never stop a message: treat it as a worry a person should see.
      const error: ScreenResult = { severity: 'medium', category: 'none', reasons: [SCREEN_ERROR_REASON], about: 'self', needsCrisisSignposting: false };
      return { result: error, urgentScore: null, normalised: '' };
    }
    return { ...withClassifier(classifier, normalised, rules, lexicon.rules.neverStoodDown, saidAsHyperbole), normalised };
  };

  const screenSync = (input: string): ScreenResult => firstReadings(asText(input)).result;

  const screenWithoutModel = async (input: string): Promise<ScreenResult> => {
    const text = asText(input);
    const first = firstReadings(text);
    return withSentenceReading(readingSetUp, text, first.normalised, first);
  };

  const normaliseStep = RunnableLambda.from((input: string): Pick<Screened, 'text' | 'normalised'> => {
    const text = asText(input);
    return { text, normalised: text.length === 0 ? '' : lexicon.normalise(text) };
  }).withConfig({ runName: 'safety.normalise' });

  const rulesStep = RunnableLambda.from(
    (s: Pick<Screened, 'text' | 'normalised'>): Omit<Screened, 'opinion'> => ({
      ...s,
      rules: s.normalised.length === 0 ? noConcern() : lexicon.rules.classify(s.normalised),
    }),
  ).withConfig({ runName: 'safety.rules' });

  const classifierStep = RunnableLambda.from((s: Omit<Screened, 'opinion'>): Omit<Screened, 'opinion'> & { urgentScore: number | null } => {
    const { result, urgentScore } = withClassifier(classifier, s.normalised, s.rules, lexicon.rules.neverStoodDown, saidAsHyperbole);
    return { ...s, rules: result, urgentScore };
  }).withConfig({ runName: 'safety.classifier' });

  const readingStep = RunnableLambda.from(
    async (s: Omit<Screened, 'opinion'> & { urgentScore: number | null }): Promise<Omit<Screened, 'opinion'>> => ({
      text: s.text,
      normalised: s.normalised,
      rules: await withSentenceReading(readingSetUp, s.text, s.normalised, { result: s.rules, urgentScore: s.urgentScore }),
    }),
  ).withConfig({ runName: 'safety.sentence_reading' });

  const opinionStep = RunnableLambda.from(async (s: Omit<Screened, 'opinion'>): Promise<Screened> => {
    // Nothing to raise above urgent; nothing to ask about an empty message.
    if (!model || s.rules.severity === 'urgent' || s.text.trim().length === 0) return { ...s, opinion: null };
    return { ...s, opinion: await askSecondOpinion(model, s.text, timeoutMs) };
  }).withConfig({ runName: 'safety.second_opinion' });

  const decideStep = RunnableLambda.from((s: Screened): ScreenResult => decide(s.rules, s.opinion)).withConfig({
    runName: 'safety.decide',
  });

  const pipeline = RunnableSequence.from<string, ScreenResult>([normaliseStep, rulesStep, classifierStep, readingStep, opinionStep, decideStep]);

  const screen = async (input: string): Promise<ScreenResult> => {
    // With no model the pipeline's steps reduce to the first readings and the sentence reading; running them through
    // LangChain's callback machinery would add ~100 µs to every turn for the same answer.
    if (!model) return screenWithoutModel(input);
    try {
      return await pipeline.invoke(asText(input));
    } catch {
      // The pipeline failed (not the model: that is handled inside). The rules path still answers.
      return screenWithoutModel(input);
    }
  };

  const warmUp = async (): Promise<void> => {
    if (readingSetUp) await readingSetUp.reading.read('warming up the sentence encoder');
  };

  return { screen, screenSync, warmUp, pipeline, lexicon, classifier };
}
