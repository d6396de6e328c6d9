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

/**
 * The update's working copy of a document: copy-on-write. Only the containers on the way to a
 * changed path are copied (each once); everything else is shared with the document updated, which
 * the store never changes in place.
 */
class Draft {
  /** Containers this update made or copied: changed in place from then on. */
  private readonly own = new WeakSet<object>();

  constructor(readonly root: Record<string, unknown>) {
    this.own.add(root);
  }

  /** `container`, or a copy of it this update may change, put in its parent's place. */
  private writable(parent: Container, part: string, container: Container): Container {
    if (this.own.has(container)) return container;
    const copy: Container = Array.isArray(container) ? container.slice() : { ...container };
    this.own.add(copy);
    assign(parent, part, copy, part);
    return copy;
  }

  /** The (writable) container holding the last part of `path`, creating missing objects on the way if asked. */
  parentOf(path: string, create: boolean): { parent: Container; last: string } | undefined {
    const parts = path.split('.');
    const last = parts.pop() as string;
    let node: Container = this.root;
    for (const part of parts) {
      let next = child(node, part);
      if (next === undefined) {
        if (!create) return undefined;
        const created = {};
        this.own.add(created);
        assign(node, part, created, path);
        next = created;
      }
      if (!isContainer(next)) {
        if (!create) return undefined;
        throw new InvalidStoreInputError(`cannot create field "${path}": "${part}" is not an object`);
      }
      node = this.writable(node, part, next);
    }
    return { parent: node, last };
  }

  /** The array at `last` in `parent`, ready to change in place. */
  writableArray(parent: Container, last: string, array: unknown[]): unknown[] {
    return this.writable(parent, last, array) as unknown[];
  }
}

function setPath(draft: Draft, path: string, value: unknown): void {
  const { parent, last } = draft.parentOf(path, true)!;
  assign(parent, last, value, path);
}

function unsetPath(draft: Draft, path: string): void {
  const found = draft.parentOf(path, false);
  if (found === undefined || child(found.parent, found.last) === undefined) return;
  // MongoDB leaves a null in place of an unset array element rather than shifting the array.
  if (Array.isArray(found.parent)) found.parent[Number(found.last)] = null;
  else delete found.parent[found.last];
}

function incPath(draft: Draft, path: string, amount: number): void {
  const { parent, last } = draft.parentOf(path, true)!;
  const current = child(parent, last);
  if (current === undefined) assign(parent, last, amount, path);
  else if (typeof current === 'number') assign(parent, last, current + amount, path);
  else throw new InvalidStoreInputError(`cannot $inc "${path}": it is not a number`);
}

function pushPath(draft: Draft, path: string, value: unknown): void {
  const items = isOperatorObject(value) ? (value.$each as unknown[]) : [value];
  const { parent, last } = draft.parentOf(path, true)!;
  const current = child(parent, last);
  if (current === undefined) assign(parent, last, [...items], path);
  else if (Array.isArray(current)) draft.writableArray(parent, last, current).push(...items);
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

/**
 * Returns the updated document, leaving `doc` as it was; `inserting` applies `$setOnInsert` (an
 * upsert that inserts). The result shares what the update did not touch with `doc`, so neither may
 * be changed in place afterwards (the store replaces documents whole). `doc` holds no `undefined`
 * (the store never keeps one), and the update's values are the caller's own copies.
 */
export function applyUpdate<T extends Record<string, unknown>>(doc: T, update: Update, inserting: boolean): T {
  const draft = new Draft({ ...doc });
  for (const [path, value] of Object.entries(update.$set ?? {})) setPath(draft, path, value);
  if (inserting) for (const [path, value] of Object.entries(update.$setOnInsert ?? {})) setPath(draft, path, value);
  for (const path of Object.keys(update.$unset ?? {})) unsetPath(draft, path);
  for (const [path, amount] of Object.entries(update.$inc ?? {})) incPath(draft, path, amount);
  for (const [path, value] of Object.entries(update.$push ?? {})) pushPath(draft, path, value);
  return draft.root as T;
}

/** The document an upsert starts from: the filter's equality conditions, as MongoDB does. */
export function upsertSeed(filter: Filter): Record<string, unknown> {
  const seed = new Draft({});
  const collect = (clause: Filter): void => {
    for (const [key, condition] of Object.entries(clause)) {
      if (condition === undefined || key === '$or') continue;
      if (key === '$and') (condition as Filter[]).forEach(collect);
      else if (!isOperatorObject(condition)) setPath(seed, key, copyWithoutUndefined(condition));
      else if ('$eq' in condition) setPath(seed, key, copyWithoutUndefined(condition.$eq));
    }
  };
  collect(filter);
  return seed.root;
}
