import type { CheckIns } from '../services/checkins/checkins';
import type { Clock } from '../services/clock';
import type { Answer } from '../services/content/answer';
import type { ContentCatalog } from '../services/content/catalog';
import type { TemplateSet } from '../services/content/require';
import type { EntitlementTracker } from '../services/entitlements/tracker';
import type { Goals } from '../services/goals/goals';
import type { TrustedPeople } from '../services/people/trusted-people';
import { privacyExportTemplates } from '../services/privacy/export-templates';
import type { PrivacyService } from '../services/privacy/privacy-service';
import type { CouncilDirectory } from '../services/profiles/councils';
import type { PaContact } from '../services/profiles/pa-contact';
import type { ProfileRepository } from '../services/profiles/profile-repository';
import { journeyTemplates } from './journey-templates';
import type { ExportDelivery } from './privacy-dialog';

/** The templates the journeys render: theirs, plus the shared ones the content module owns. */
export const dialogTemplates = {
  welcome: {},
  'welcome.back': { name: 'string' },
  'menu.intro': {},
  help: {},
  'fallback.no-match': {},
  'answer.sources': { sources: 'string' },
  'notice.privacy': {},
  'safety.high.homelessness': {},
  ...journeyTemplates,
  ...privacyExportTemplates,
} as const;

export type DialogTemplates = typeof dialogTemplates;
export type Texts = TemplateSet<DialogTemplates>;
export type TextId = keyof DialogTemplates & string;

/** Everything the journeys call. Built once in `bot/app.ts`; tests build it over a temporary store. */
export interface JourneyServices {
  texts: Texts;
  catalog: ContentCatalog;
  answerQuestion(question: string): Promise<Answer>;
  profiles: ProfileRepository;
  councils: CouncilDirectory;
  tracker: EntitlementTracker;
  goals: Goals;
  checkIns: CheckIns;
  people: TrustedPeople;
  privacy: PrivacyService;
  /** Export my data outside the chat: Teams file uploads and one-time download links. */
  exportDelivery: ExportDelivery;
  pa: PaContact;
  clock: Clock;
}

