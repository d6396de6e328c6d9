import { CLASSIFIER_RAISED_REASON, raise, type SafetyClassifier } from './classifier';
import { MAX_ENCODED_CHARS } from './sentence-encoder';
import {
  consultsSentenceReading,
  sentenceReadingRaises,
  wordCount,
  type ReadingProbabilities,
  type SentenceReading,
  type SentenceReadingSettings,
} from './sentence-reading';
import { CLASSIFIER_STOOD_DOWN_REASON, classifierSureBenign, keptFromStandDown } from './stand-down';
import { needsAmbulance, SCREEN_ERROR_REASON, type ScreenResult } from './types';
import { withinTime } from '../time-limit';

/**
 * The screen's sentence-reading step (pipeline.ts), after the rules and the classifier: it raises a
 * message the classifier leans towards urgent, or stands an urgent rules result down to a concern
 * when both learned readings are sure it is benign. See sentence-reading.ts for the model.
 */

/** Reason added when the sentence reading raised the severity to urgent. */
export const SENTENCE_READING_RAISED_REASON = 'model.sentence_reading';
/** Reason added, after `model.stood_down`, when the sentence reading agreed to stand an urgent rules result down. */
export const SENTENCE_READING_STOOD_DOWN_REASON = 'model.sentence_reading_agrees';
/** Reason added when the sentence reading was due but failed or ran out of time (the result stands). */
export const SENTENCE_READING_FAILED_REASON = 'model.sentence_reading_failed';

/** The rules' and classifier's result, with the classifier's urgent score (null when it did not score). */
export interface FirstReadings {
  result: ScreenResult;
  urgentScore: number | null;
}

/** What the step needs: the reading, its settings, the classifier (for its stretches and category) and the time box. */
export interface ReadingSetUp {
  /** Ids of rules whose results are never stood down (the lexicon's `neverStoodDown`). */
  kept: ReadonlySet<string>;
  reading: SentenceReading;
  settings: SentenceReadingSettings;
  classifier: SafetyClassifier;
  timeoutMs: number;
}

/** The sentence reading within its time box, or null when it fails (never throws). */
async function readWithin(setUp: ReadingSetUp, text: string): Promise<ReadingProbabilities | null> {
  try {
    const read = await withinTime(setUp.reading.read(text), setUp.timeoutMs, (ms) => new Error(`no sentence reading within ${ms} ms`));
    return Number.isFinite(read.urgent) && Number.isFinite(read.benign) ? read : null;
  } catch {
    return null;
  }
}

const withReadingFailed = (result: ScreenResult): ScreenResult => ({ ...result, reasons: [...result.reasons, SENTENCE_READING_FAILED_REASON] });

/**
 * Whether an urgent result may be stood down, if the sentence reading agrees (`standDownUrgent`):
 * the rules' own (not the classifier's); about the writer (a report about someone else is often
 * told lightly); not a medical emergency (nor a screen error, which is never urgent today); a
 * sentence the reading sees whole (at least `minWords` words, at most MAX_ENCODED_CHARS); and the
 * classifier sure in every stretch that the message is benign.
 */
function urgentMayStandDown(setUp: ReadingSetUp, text: string, normalised: string, result: ScreenResult): boolean {
  const rule = setUp.settings.standDownUrgent;
  const window = setUp.classifier.settings.standDown?.window;
  if (!rule || window === undefined || result.severity !== 'urgent' || result.about !== 'self' || needsAmbulance(result)) return false;
  if (result.reasons.includes(CLASSIFIER_RAISED_REASON) || result.reasons.includes(SCREEN_ERROR_REASON)) return false;
  if (keptFromStandDown(result, setUp.kept)) return false;
  if (text.length > MAX_ENCODED_CHARS || wordCount(normalised) < setUp.settings.minWords) return false;
  try {
    return classifierSureBenign(setUp.classifier, normalised, window, rule.benignOdds);
  } catch {
    return false;
  }
}

/**
 * An urgent rules result both learned readings find benign becomes a concern, not nothing: no
 * crisis reply and no urgent escalation, but the worry is noted for the PA with the offer to tell
 * them ("kms lol that exam, im done" is a joke to the models, and perhaps not to the PA).
 */
function urgentStoodDown(result: ScreenResult): ScreenResult {
  return {
    ...result,
    severity: 'medium',
    needsCrisisSignposting: false,
    reasons: [...result.reasons, CLASSIFIER_STOOD_DOWN_REASON, SENTENCE_READING_STOOD_DOWN_REASON],
  };
}

/**
 * The sentence reading (never throws): raises the first readings' result to urgent when it is asked
 * and is sure, or stands an urgent rules result down to a concern when it and the classifier are
 * both sure the message is benign.
 */
export async function withSentenceReading(setUp: ReadingSetUp | null, text: string, normalised: string, first: FirstReadings): Promise<ScreenResult> {
  if (!setUp) return first.result;
  if (urgentMayStandDown(setUp, text, normalised, first.result)) {
    const read = await readWithin(setUp, text);
    if (!read) return withReadingFailed(first.result);
    return read.benign >= setUp.settings.standDownUrgent!.benignAt ? urgentStoodDown(first.result) : first.result;
  }
  if (first.urgentScore === null || !consultsSentenceReading(first.result.severity, first.urgentScore, normalised, setUp.settings)) return first.result;
  const read = await readWithin(setUp, text);
  if (!read) return withReadingFailed(first.result);
  if (!sentenceReadingRaises(read.urgent, setUp.settings)) return first.result;
  let category: ReturnType<SafetyClassifier['category']>;
  try {
    category = setUp.classifier.category(normalised, 'urgent');
  } catch {
    category = 'suicide_self_harm';
  }
  return raise(first.result, { severity: 'urgent', category }, SENTENCE_READING_RAISED_REASON);
}
