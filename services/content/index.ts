/**
 * Moderated content: everything Tribe says comes from `content/`, reviewed by a person.
 * What dialogs and the bot use:
 *   - `ContentCatalog.load()` once at start-up (throws `ContentError` listing every invalid file);
 *   - `requireTemplates(catalog, botTemplates)` at start-up (throws `MissingTemplatesError`), then
 *     `templates.render(id, params)`, typed by the requirements;
 *   - `new Answerer({ retriever: new ContentRetriever({ catalog }) }).answerQuestion(text)` for free
 *     text, then `formatAnswer(catalog, answer.item)` or the `fallback.no-match` template.
 */
export { Answerer, formatAnswer, type Answer, type AnswererOptions } from './answer';
export { botTemplates, type BotTemplateId } from './bot-templates';
export { ContentCatalog, ContentUnavailableError, type CatalogOptions, type Unavailability } from './catalog';
export { checkContent, type CheckOptions, type CheckReport } from './check';
export { ContentError, defaultContentDir, formatProblem, loadContent, type ContentProblem, type LoadedItem } from './loader';
export { isServable } from './metadata';
export { MissingTemplatesError, requireTemplates, type TemplateRequirements, type TemplateSet } from './require';
export { ContentRetriever, type AnswerItem, type ContentDocumentMetadata, type ScoredItem } from './retriever';
export type {
  ContentItem,
  ContentKind,
  Eligibility,
  Entitlement,
  Guide,
  ItemOfKind,
  LocalOffer,
  Notice,
  ParamSpec,
  Signposting,
  Situation,
  Template,
} from './schemas';
export { TemplateParamError, type ParamValues } from './templates';
