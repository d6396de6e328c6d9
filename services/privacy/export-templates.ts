/**
 * The words of export my data outside the chat (Teams file-consent card, download link), with
 * their params. `dialogs/journey-services.ts` requires them at start-up with the journeys' own.
 */
export const privacyExportTemplates = {
  'journeys.privacy.export.teams': {},
  'journeys.privacy.export.consent-card': {},
  'journeys.privacy.export.saved': {},
  'journeys.privacy.export.declined': {},
  'journeys.privacy.export.offer-gone': {},
  'journeys.privacy.export.upload-failed': {},
  'journeys.privacy.export.link': { url: 'string', minutes: 'number' },
  'journeys.privacy.export.no-link': {},
  'journeys.privacy.export.link-gone': {},
} as const;
