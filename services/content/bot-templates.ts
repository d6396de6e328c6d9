import type { TemplateRequirements } from './require';

/**
 * The templates the bot needs now, with the params each is rendered with. Start-up passes this to
 * `requireTemplates`, and `content check` fails CI when what ships cannot serve it.
 * Dialogs that need more can pass their own requirements to `requireTemplates` as well.
 */
export const botTemplates = {
  welcome: {},
  'welcome.back': { name: 'string' },
  'menu.intro': {},
  help: {},
  'fallback.no-match': {},
  'answer.sources': { sources: 'string' },
  'safety.urgent': {},
  'safety.urgent.medical': {},
  'safety.high.homelessness': {},
  'safety.high.harm': {},
  'safety.medium': {},
  'nudge.trusted-adult.check-in': { name: 'string', weeks: 'number' },
  'notice.privacy': {},
  'error.turn-failed': {},
} as const satisfies TemplateRequirements;

export type BotTemplateId = keyof typeof botTemplates;
