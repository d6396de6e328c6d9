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

  const parts = partsOf(item.body);
  if (parts.length === 1) return parts[0]!;
  let text = parts[0]!;
  for (let index = 1; index < parts.length; index += 2) {
    const value = values[parts[index]!]!;
    text += (typeof value === 'number' ? numberFormat.format(value) : value) + parts[index + 1]!;
  }
  return text;
}

/**
 * A body split at its placeholders: literal text at even indexes, parameter names at odd ones.
 * Bodies are immutable content, so each is split once (the cache holds at most one entry per
 * distinct body the catalog serves, bounded below as a guard).
 */
const PARTS_CACHE_SIZE = 5000;
const bodyParts = new Map<string, readonly string[]>();

function partsOf(body: string): readonly string[] {
  let parts = bodyParts.get(body);
  if (parts) return parts;
  const split: string[] = [];
  let from = 0;
  for (const match of body.matchAll(placeholderPattern)) {
    split.push(body.slice(from, match.index), match[1]!);
    from = match.index + match[0].length;
  }
  split.push(body.slice(from));
  parts = split;
  if (bodyParts.size >= PARTS_CACHE_SIZE) bodyParts.clear();
  bodyParts.set(body, parts);
  return parts;
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
