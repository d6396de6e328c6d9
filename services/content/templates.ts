import type { ParamSpec, ParamType, ScriptedItem } from './schemas';

/**
 * Scripted text with named, typed parameters. A template declares `params: { name: string }` in its
 * front matter and writes `{name}` in its body; rendering checks the values against that declaration.
 */

const placeholderPattern = /\{([a-zA-Z][a-zA-Z0-9]*)\}/g;

/** The parameter names a body uses, in order of first appearance. */
export function placeholdersIn(body: string): string[] {
  return [...new Set(Array.from(body.matchAll(placeholderPattern), (match) => match[1]!))];
}

/** Differences between what a body uses and what its front matter declares; empty when they agree. */
export function placeholderMismatches(body: string, declared: ParamSpec): string[] {
  const used = placeholdersIn(body);
  const undeclared = used.filter((name) => !Object.hasOwn(declared, name));
  const unused = Object.keys(declared).filter((name) => !used.includes(name));
  return [
    ...undeclared.map((name) => `{${name}} is used in the body but not declared in params`),
    ...unused.map((name) => `param "${name}" is declared but the body never uses {${name}}`),
  ];
}

export type ParamValue = string | number;
export type ParamValues = Readonly<Record<string, ParamValue>>;

export class TemplateParamError extends Error {
  constructor(
    readonly templateId: string,
    readonly faults: string[],
  ) {
    super(`template "${templateId}" was rendered with the wrong parameters: ${faults.join('; ')}`);
    this.name = 'TemplateParamError';
  }
}

const numberFormat = new Intl.NumberFormat('en-GB');

/** Fills `{name}` placeholders; missing, extra or wrongly typed values throw `TemplateParamError`. */
export function renderScripted(item: ScriptedItem, values: ParamValues = {}): string {
  const faults: string[] = [];
  for (const [name, type] of Object.entries(item.params)) {
    if (!Object.hasOwn(values, name)) faults.push(`"${name}" (${type}) is missing`);
    else if (!matchesType(values[name], type)) faults.push(`"${name}" must be a ${type === 'number' ? 'finite number' : 'string'}`);
  }
  for (const name of Object.keys(values)) {
    if (!Object.hasOwn(item.params, name)) faults.push(`"${name}" is not a parameter of this template`);
  }
  if (faults.length > 0) throw new TemplateParamError(item.id, faults);

  return item.body.replace(placeholderPattern, (_match, name: string) => {
    const value = values[name]!;
    return typeof value === 'number' ? numberFormat.format(value) : value;
  });
}

function matchesType(value: unknown, type: ParamType): boolean {
  return type === 'number' ? typeof value === 'number' && Number.isFinite(value) : typeof value === 'string';
}

/** The same parameters, declared the same way? Used to compare a dialog's needs with a template. */
export function sameParams(a: ParamSpec, b: ParamSpec): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => b[key] === a[key]);
}

export function describeParams(params: ParamSpec): string {
  const entries = Object.entries(params);
  return entries.length === 0 ? 'no params' : `{ ${entries.map(([name, type]) => `${name}: ${type}`).join(', ')} }`;
}
