import { dialogTemplates } from '../dialogs/journey-services';
import { botTemplates } from '../services/content/bot-templates';
import type { TemplateRequirements } from '../services/content/require';
import { safeguardingTemplates } from './safeguarding';

/**
 * Every template the running bot can say, with its params: start-up refuses to serve without
 * them all, and `npm run content -- check` fails CI on the same list.
 */
export const allTemplateRequirements: TemplateRequirements = {
  ...botTemplates,
  ...dialogTemplates,
  ...safeguardingTemplates,
};
