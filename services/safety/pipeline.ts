import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { RunnableLambda, RunnableSequence, type Runnable } from '@langchain/core/runnables';
import fs from 'node:fs';
import path from 'node:path';
import { defaultSafetyDir, loadSafetyLexicon, type SafetyLexicon } from './load-lexicon';
import { raise, trainSafetyClassifier, type SafetyClassifier } from './classifier';
import { askSecondOpinion, type SecondOpinionOutcome } from './second-opinion';
import { standsDown, stoodDown } from './stand-down';
import { noConcern, severityRank, type ScreenResult } from './types';

/**
 * The safety screen (DESIGN.md rule 1): every inbound message passes it before any dialog runs.
 *
 *   normalise → rules → classifier → second opinion (optional language model) → decision
 *
 * built as a @langchain/core RunnableSequence of RunnableLambdas. The rules are moderated data
 * (content/safety/*.yaml), compiled once. The classifier (classifier.ts) is a linear model (logistic
 * regression with a naive Bayes prior term) trained at start-up from the moderated examples
 * (content/safety/training-*.yaml); it RAISES the rules' severity (reason `model.classifier`), and
 * a classifier-only `urgent` carries crisis signposting. Where the training settings allow, it also
 * stands a medium or high rules result down when it is sure the message is benign (reason
 * `model.stood_down`; see stand-down.ts); an urgent rules result always stands. The second
 * opinion is any BaseChatModel; it may only RAISE the severity, is time-boxed (default 1500 ms),
 * and on failure, timeout or a garbled answer the result so far (rules and classifier) stands. Its
 * text is never shown or logged.
 *
 * `screenSync` is the fast path (rules and classifier, no language model, no Runnable overhead); it gives the same
 * result as `screen` when no model is configured.
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
}

export interface SafetyScreen {
  /** The full pipeline (rules, then the model's second opinion if one is configured). Never throws. */
  screen(text: string): Promise<ScreenResult>;
  /** Rules and classifier, synchronous: the fast path (no language model). Never throws. */
  screenSync(text: string): ScreenResult;
  /** The underlying Runnable (input: the message text). */
  readonly pipeline: Runnable<string, ScreenResult>;
  readonly lexicon: SafetyLexicon;
  /** The learned classifier in use, or null (rules only). */
  readonly classifier: SafetyClassifier | null;
}

export const DEFAULT_SECOND_OPINION_TIMEOUT_MS = 1500;

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

/**
 * Raises the rules' result with the classifier's verdict, or stands a medium or high one down when
 * the classifier is sure the message is benign (stand-down.ts); a classifier fault leaves the rules' result.
 */
function withClassifier(classifier: SafetyClassifier | null, normalised: string, rules: ScreenResult): ScreenResult {
  // Nothing to raise above urgent, and urgent is never stood down; an error result stays as it is.
  if (!classifier || rules.severity === 'urgent' || normalised.length === 0) return rules;
  try {
    const verdict = classifier.classify(normalised);
    // Only a message the classifier finds no risk in can be one it is sure is benign.
    if (verdict.severity === 'none' && standsDown(rules, classifier, normalised)) return stoodDown(rules);
    return raise(rules, verdict);
  } catch {
    return rules;
  }
}

function trainFrom(lexicon: SafetyLexicon): SafetyClassifier | null {
  return lexicon.training ? trainSafetyClassifier(lexicon.training.examples, lexicon.normalise, lexicon.training.settings) : null;
}

/**
 * The shipped lexicon and its trained classifier, built once per process for each version of the
 * files in content/safety and its folders (their names, sizes and change times): loading and training take about
 * a second, and several apps may share a process (tests, a restart in place).
 */
let shippedCache: { key: string; lexicon: SafetyLexicon; classifier: SafetyClassifier | null } | null = null;

function shippedScreenParts(): { lexicon: SafetyLexicon; classifier: SafetyClassifier | null } {
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
    shippedCache = { key, lexicon, classifier: trainFrom(lexicon) };
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

  const screenSync = (input: string): ScreenResult => {
    const text = asText(input);
    if (text.length === 0) return noConcern();
    let normalised: string;
    let rules: ScreenResult;
    try {
      normalised = lexicon.normalise(text);
      rules = lexicon.rules.classify(normalised);
    } catch {
      // A bug in the rules must never stop a message: treat it as a worry a person should see.
      return { severity: 'medium', category: 'none', reasons: ['screen.error'], about: 'self', needsCrisisSignposting: false };
    }
    return withClassifier(classifier, normalised, rules);
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

  const classifierStep = RunnableLambda.from(
    (s: Omit<Screened, 'opinion'>): Omit<Screened, 'opinion'> => ({
      ...s,
      rules: withClassifier(classifier, s.normalised, s.rules),
    }),
  ).withConfig({ runName: 'safety.classifier' });

  const opinionStep = RunnableLambda.from(async (s: Omit<Screened, 'opinion'>): Promise<Screened> => {
    // Nothing to raise above urgent; nothing to ask about an empty message.
    if (!model || s.rules.severity === 'urgent' || s.text.trim().length === 0) return { ...s, opinion: null };
    return { ...s, opinion: await askSecondOpinion(model, s.text, timeoutMs) };
  }).withConfig({ runName: 'safety.second_opinion' });

  const decideStep = RunnableLambda.from((s: Screened): ScreenResult => decide(s.rules, s.opinion)).withConfig({
    runName: 'safety.decide',
  });

  const pipeline = RunnableSequence.from<string, ScreenResult>([normaliseStep, rulesStep, classifierStep, opinionStep, decideStep]);

  const screen = async (input: string): Promise<ScreenResult> => {
    // With no model the pipeline's steps reduce to the fast path (rules and classifier); running them through LangChain's
    // callback machinery would add ~100 µs to every turn for the same answer.
    if (!model) return screenSync(input);
    try {
      return await pipeline.invoke(asText(input));
    } catch {
      // The pipeline failed (not the model: that is handled inside). The rules path still answers.
      return screenSync(input);
    }
  };

  return { screen, screenSync, pipeline, lexicon, classifier };
}
