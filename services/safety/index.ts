/**
 * The safety screen: classification only (escalation storage and wiring live elsewhere).
 * See pipeline.ts for the flow and content/safety/README.md for the moderated data.
 */
export {
  createSafetyScreen,
  decide,
  DEFAULT_SECOND_OPINION_TIMEOUT_MS,
  LLM_RAISED_REASON,
  SafetyScreenConfigError,
  SENTENCE_READING_FAILED_REASON,
  SENTENCE_READING_RAISED_REASON,
  SENTENCE_READING_STOOD_DOWN_REASON,
} from './pipeline';
export type { SafetyScreen, SafetyScreenOptions } from './pipeline';
export { CLASSIFIER_STOOD_DOWN_REASON } from './stand-down';
export { DEFAULT_RECENT_MESSAGES, RecentMessages, recentMessagesDataHolder, screenWithRecent } from './recent-messages';
export { defaultSafetyDir, loadSafetyLexicon } from './load-lexicon';
export type { SafetyLexicon } from './load-lexicon';
export { SafetyLexiconError } from './schema';
export { CATEGORIES, SEVERITIES, maxSeverity, needsAmbulance, noConcern, severityRank } from './types';
export type { About, Category, ScreenResult, Severity } from './types';
