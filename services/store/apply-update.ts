import type { Filter, Update } from './port';
import { InvalidStoreInputError, isOperatorObject, isPlainObject } from './store-input';

/**
 * MongoDB's update operators applied in memory, for the embedded adapter. nedb has its own
 * modifiers but no `$setOnInsert`, no path-conflict checks and no "was anything modified" answer,
 * so the embedded adapter computes the new document here and hands nedb a whole document.
 * The update must already have passed `assertValidUpdate`.
 */

type Container = Record<string, unknown> | unknown[];

const isContainer = (value: unknown): value is Container => Array.isArray(value) || isPlainObject(value);
const arrayIndex = (part: string): number | undefined => (/^\d+$/.test(part) ? Number(part) : undefined);

function child(container: Container, part: string): unknown {
  if (Array.isArray(container)) {
    const index = arrayIndex(part);
    return index === undefined ? undefined : container[index];
  }
  return container[part];
}

function assign(container: Container, part: string, value: unknown, path: string): void {
  if (Array.isArray(container)) {
    const index = arrayIndex(part);
    if (index === undefined) throw new InvalidStoreInputError(`cannot create field "${part}" in an array at "${path}"`);
    while (container.length < index) container.push(null);
    container[index] = value;
  } else {
    container[part] = value;
  }
}

/** The container holding the last part of `path`, creating missing objects on the way if asked. */
function parentOf(root: Container, path: string, create: boolean): { parent: Container; last: string } | undefined {
  const parts = path.split('.');
  const last = parts.pop() as string;
  let node: Container = root;
  for (const part of parts) {
    let next = child(node, part);
    if (next === undefined) {
      if (!create) return undefined;
      next = {};
      assign(node, part, next, path);
    }
    if (!isContainer(next)) {
      if (!create) return undefined;
      throw new InvalidStoreInputError(`cannot create field "${path}": "${part}" is not an object`);
    }
    node = next;
  }
  return { parent: node, last };
}

function setPath(root: Container, path: string, value: unknown): void {
  const { parent, last } = parentOf(root, path, true) as { parent: Container; last: string };
  assign(parent, last, value, path);
}

function unsetPath(root: Container, path: string): void {
  const found = parentOf(root, path, false);
  if (found === undefined || child(found.parent, found.last) === undefined) return;
  // MongoDB leaves a null in place of an unset array element rather than shifting the array.
  if (Array.isArray(found.parent)) found.parent[Number(found.last)] = null;
  else delete found.parent[found.last];
}

function incPath(root: Container, path: string, amount: number): void {
  const { parent, last } = parentOf(root, path, true) as { parent: Container; last: string };
  const current = child(parent, last);
  if (current === undefined) assign(parent, last, amount, path);
  else if (typeof current === 'number') assign(parent, last, current + amount, path);
  else throw new InvalidStoreInputError(`cannot $inc "${path}": it is not a number`);
}

function pushPath(root: Container, path: string, value: unknown): void {
  const items = isOperatorObject(value) ? (value.$each as unknown[]) : [value];
  const { parent, last } = parentOf(root, path, true) as { parent: Container; last: string };
  const current = child(parent, last);
  if (current === undefined) assign(parent, last, [...items], path);
  else if (Array.isArray(current)) current.push(...items);
  else throw new InvalidStoreInputError(`cannot $push to "${path}": it is not an array`);
}

/** A deep copy without `undefined` values, as the MongoDB driver (with ignoreUndefined) would store it. */
export function copyWithoutUndefined<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : copyWithoutUndefined(item))) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (!isPlainObject(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) if (inner !== undefined) copy[key] = copyWithoutUndefined(inner);
  return copy as T;
}

/** Returns an updated copy; `inserting` applies `$setOnInsert` (an upsert that inserts). */
export function applyUpdate<T extends Record<string, unknown>>(doc: T, update: Update, inserting: boolean): T {
  const result = copyWithoutUndefined(doc);
  for (const [path, value] of Object.entries(update.$set ?? {})) setPath(result, path, value);
  if (inserting) for (const [path, value] of Object.entries(update.$setOnInsert ?? {})) setPath(result, path, value);
  for (const path of Object.keys(update.$unset ?? {})) unsetPath(result, path);
  for (const [path, amount] of Object.entries(update.$inc ?? {})) incPath(result, path, amount);
  for (const [path, value] of Object.entries(update.$push ?? {})) pushPath(result, path, value);
  return result;
}

/** The document an upsert starts from: the filter's equality conditions, as MongoDB does. */
export function upsertSeed(filter: Filter): Record<string, unknown> {
  const seed: Record<string, unknown> = {};
  const collect = (clause: Filter): void => {
    for (const [key, condition] of Object.entries(clause)) {
      if (condition === undefined || key === '$or') continue;
      if (key === '$and') (condition as Filter[]).forEach(collect);
      else if (!isOperatorObject(condition)) setPath(seed, key, condition);
      else if ('$eq' in condition) setPath(seed, key, condition.$eq);
    }
  };
  collect(filter);
  return seed;
}
