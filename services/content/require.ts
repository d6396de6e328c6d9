import type { ContentCatalog } from './catalog';
import type { ParamSpec } from './schemas';
import type { ParamValues } from './templates';
import { describeParams, sameParams } from './templates';

/** What a dialog needs: template id → the params it will pass, e.g. `{ 'welcome.back': { name: 'string' } }`. */
export type TemplateRequirements = Readonly<Record<string, Readonly<ParamSpec>>>;

type ValuesFor<S> = { readonly [K in keyof S]: S[K] extends 'number' ? number : string };
type RenderArgs<S> = [keyof S] extends [never] ? [] : [params: ValuesFor<S>];

/** A checked set of templates whose `render` is typed by the requirements it was made from. */
export interface TemplateSet<R extends TemplateRequirements> {
  render<K extends keyof R & string>(id: K, ...params: RenderArgs<R[K]>): string;
  /** The button labels that go with a template (may be empty). */
  suggestions(id: keyof R & string): readonly string[];
}

export class MissingTemplatesError extends Error {
  constructor(readonly problems: string[]) {
    super(`Tribe cannot start: templates the dialogs need cannot be served\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MissingTemplatesError';
  }
}

export interface TemplateProblem {
  id: string;
  message: string;
}

/** Every reason the catalog cannot serve what `requirements` asks for today; empty when all is well. */
export function templateProblems(catalog: ContentCatalog, requirements: TemplateRequirements): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const [id, needed] of Object.entries(requirements)) {
    const reason = catalog.unavailability(id);
    const item = catalog.get(id);
    if (reason || !item) {
      problems.push({ id, message: `"${id}" is ${reason ?? 'missing'}` });
    } else if (item.kind !== 'template' && item.kind !== 'notice') {
      problems.push({ id, message: `"${id}" is of kind ${item.kind}, not a template or notice` });
    } else if (!sameParams(item.params, needed)) {
      problems.push({ id, message: `"${id}" declares ${describeParams(item.params)} but the dialogs pass ${describeParams(needed)}` });
    }
  }
  return problems;
}

/**
 * Start-up check: throws `MissingTemplatesError` (listing every fault) when a template the dialogs
 * need is missing, unpublished, past its review-by date or declares other params. Returns a set
 * whose `render` the compiler checks against the same requirements.
 */
export function requireTemplates<const R extends TemplateRequirements>(
  catalog: ContentCatalog,
  requirements: R,
): TemplateSet<R> {
  const problems = templateProblems(catalog, requirements);
  if (problems.length > 0) throw new MissingTemplatesError(problems.map((problem) => problem.message));
  return {
    render: (id, ...params) => catalog.render(id, (params[0] ?? {}) as ParamValues),
    suggestions: (id) => catalog.scripted(id).suggestions,
  };
}
