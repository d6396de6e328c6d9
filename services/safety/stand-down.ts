import type { SafetyClassifier } from './classifier';
import { noConcern, severityRank, type ScreenResult, type Severity } from './types';

/**
 * The classifier standing a rules result down (training settings `standDown`). The rules match
 * words; on wording they were not written for they raise everyday messages ("kicked out of the pub
 * at closing", "my sister said she'd kill me if I wore her top"), most of the screen's false alarms
 * on unseen sets. A medium or high rules result (never urgent) becomes none when the classifier is
 * sure the message is benign: at least 2^benignOdds to 1, in the whole message and in every
 * `window`-word stretch of it, so a worry buried in a long, cheerful message is judged on its own
 * words. The reason stays in the result (rule ids only, never text) for the logs.
 */
export const CLASSIFIER_STOOD_DOWN_REASON = 'model.stood_down';

/** True when every stretch of the message scores at or below `limit` ("at least medium" log2 odds). */
function concernStaysAtOrBelow(classifier: SafetyClassifier, normalised: string, window: number, limit: number): boolean {
  if (classifier.score(normalised).concern > limit) return false;
  const words = normalised.split(' ').filter((word) => word.length > 0);
  if (words.length <= window) return true;
  const step = Math.max(1, Math.floor(window / 2));
  for (let start = 0; start < words.length; start += step) {
    if (classifier.score(words.slice(start, start + window).join(' ')).concern > limit) return false;
    if (start + window >= words.length) break;
  }
  return true;
}

/** Whether the classifier stands down a rules result of this severity for this normalised message. */
export function standsDown(severity: Severity, classifier: SafetyClassifier, normalised: string): boolean {
  const rule = classifier.settings.standDown;
  if (!rule || severity === 'none' || severity === 'urgent') return false;
  if (severityRank(severity) > severityRank(rule.upTo)) return false;
  return concernStaysAtOrBelow(classifier, normalised, rule.window, -rule.benignOdds);
}

/** A rules result stood down: no concern, with the rules' ids and the reason kept for the logs. */
export function stoodDown(rules: ScreenResult): ScreenResult {
  return { ...noConcern(), reasons: [...rules.reasons, CLASSIFIER_STOOD_DOWN_REASON] };
}
