/**
 * The classifier standing a rules result down (training settings `standDown`).
 *
 * The rules match words; on wording they were not written for they raise everyday messages
 * ("kicked out of the pub at closing", "my sister said she'd kill me if I wore her top"), most of
 * the screen's false alarms on unseen sets. A medium or high rules result becomes none when the
 * classifier is sure the message is benign: at least 2^benignOdds to 1, in the whole message and in
 * every `window`-word stretch of it (clause marks `.` count as words), so a worry buried in a long,
 * cheerful message is judged on its own words. Never stood down: urgent, anything carrying crisis
 * signposting, a screen error, and messages too long to judge stretch by stretch in good time.
 * (Urgent may become a concern only when the sentence reading agrees: pipeline.ts `urgentMayStandDown`.)
 */
import type { SafetyClassifier } from './classifier';
import { noConcern, SCREEN_ERROR_REASON, severityRank, type ScreenResult } from './types';

/** Added to the reasons of a stood-down result, after the rule ids (never text). */
export const CLASSIFIER_STOOD_DOWN_REASON = 'model.stood_down';

/** Longer messages keep the rules' result: judging every stretch would cost too much per message. */
export const STAND_DOWN_MAX_WORDS = 400;

/**
 * True when every stretch of the message scores at or below `limit`. Only the "at least medium"
 * score is checked: it is never below the "at least high" and "urgent" ones.
 */
function concernStaysAtOrBelow(classifier: SafetyClassifier, normalised: string, words: readonly string[], window: number, limit: number): boolean {
  if (classifier.score(normalised).concern > limit) return false;
  if (words.length <= window) return true;
  // Half-overlapping stretches, the last one ending at the last word.
  const step = Math.max(1, Math.floor(window / 2));
  for (let start = 0; ; start += step) {
    const end = Math.min(start + window, words.length);
    if (classifier.score(words.slice(end - window, end).join(' ')).concern > limit) return false;
    if (end === words.length) return true;
  }
}

/**
 * Whether the classifier gives a normalised message at least 2^benignOdds to 1 of being benign, in
 * the whole message and in every `window`-word stretch of it (false for messages too long to judge).
 */
export function classifierSureBenign(classifier: SafetyClassifier, normalised: string, window: number, benignOdds: number): boolean {
  const words = normalised.split(' ').filter((word) => word.length > 0);
  if (words.length > STAND_DOWN_MAX_WORDS) return false;
  return concernStaysAtOrBelow(classifier, normalised, words, window, -benignOdds);
}

/** Whether a result carries a rule that is never stood down (the lexicon's `neverStoodDown` ids, `kept`). */
export function keptFromStandDown(result: ScreenResult, kept: ReadonlySet<string>): boolean {
  return result.reasons.some((id) => kept.has(id));
}

/**
 * Whether the classifier stands this rules result down for this normalised message. `kept`: ids of
 * rules never stood down (the lexicon's `neverStoodDown`).
 */
export function standsDown(rules: ScreenResult, classifier: SafetyClassifier, normalised: string, kept: ReadonlySet<string>): boolean {
  const setting = classifier.settings.standDown;
  if (!setting || rules.severity === 'none' || rules.severity === 'urgent') return false;
  if (rules.needsCrisisSignposting || rules.reasons.includes(SCREEN_ERROR_REASON)) return false;
  if (keptFromStandDown(rules, kept)) return false;
  if (severityRank(rules.severity) > severityRank(setting.upTo)) return false;
  return classifierSureBenign(classifier, normalised, setting.window, setting.benignOdds);
}

/** A rules result stood down: no concern, with the rules' ids and the reason kept for the logs. */
export function stoodDown(rules: ScreenResult): ScreenResult {
  return { ...noConcern(), reasons: [...rules.reasons, CLASSIFIER_STOOD_DOWN_REASON] };
}
