import type { Document, Filter, FindOptions, Update } from './port';

/**
 * Checks shared by both adapters, so that input one adapter would treat differently from the
 * other (or that FerretDB v1 and MongoDB disagree on) is rejected the same way everywhere.
 */

export class InvalidStoreInputError extends Error {
  constructor(message: string) {
    super(`store: ${message}`);
    this.name = 'InvalidStoreInputError';
  }
}

const fieldOperators = new Set(['$eq', '$ne', '$in', '$nin', '$lt', '$lte', '$gt', '$gte', '$exists']);
const updateOperators = new Set(['$set', '$unset', '$inc', '$push', '$setOnInsert']);
const collectionNamePattern = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$/;

/** A `{...}` object from any realm (test runners and workers have their own `Object`). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

export function isOperatorObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

export function isValidCollectionName(name: string): boolean {
  return typeof name === 'string' && collectionNamePattern.test(name) && !name.includes('..');
}

export function assertCollectionName(name: string): void {
  if (!isValidCollectionName(name)) {
    throw new InvalidStoreInputError(`invalid collection name ${JSON.stringify(name)}`);
  }
}

/** Whether some dot-separated part of `path` is empty or starts with `$` (without splitting it: every write checks its paths). */
function hasBadPart(path: string): boolean {
  return path === '' || path[0] === '.' || path[0] === '$' || path.endsWith('.') || path.includes('..') || path.includes('.$');
}

function assertFieldPath(path: string, context: string): void {
  if (hasBadPart(path)) {
    throw new InvalidStoreInputError(`invalid field path ${JSON.stringify(path)} in ${context}`);
  }
}

function assertFieldCondition(field: string, condition: unknown): void {
  if (!isPlainObject(condition)) return; // a plain value: equality
  const keys = Object.keys(condition);
  const operatorKeys = keys.filter((key) => key.startsWith('$'));
  if (operatorKeys.length === 0) return; // an embedded document: equality
  if (operatorKeys.length !== keys.length) {
    throw new InvalidStoreInputError(`filter on "${field}" mixes operators and field names`);
  }
  for (const [operator, operand] of Object.entries(condition)) {
    if (!fieldOperators.has(operator)) throw new InvalidStoreInputError(`unknown operator ${operator} on "${field}"`);
    if (operand === undefined) throw new InvalidStoreInputError(`${operator} on "${field}" has no value`);
    if ((operator === '$in' || operator === '$nin') && !Array.isArray(operand)) {
      throw new InvalidStoreInputError(`${operator} on "${field}" needs an array`);
    }
    if (operator === '$exists' && typeof operand !== 'boolean') {
      throw new InvalidStoreInputError(`$exists on "${field}" needs true or false`);
    }
  }
}

export function assertValidFilter(filter: Filter): void {
  if (!isPlainObject(filter)) throw new InvalidStoreInputError('a filter must be a plain object');
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    if (key === '$or' || key === '$and') {
      if (!Array.isArray(value) || value.length === 0) {
        throw new InvalidStoreInputError(`${key} needs a non-empty array of filters`);
      }
      value.forEach((clause) => assertValidFilter(clause as Filter));
    } else if (key.startsWith('$')) {
      throw new InvalidStoreInputError(`unknown top-level operator ${key}`);
    } else {
      assertFieldPath(key, 'filter');
      assertFieldCondition(key, value);
    }
  }
}

export function assertValidFindOptions(options: FindOptions | undefined): void {
  if (options === undefined) return;
  for (const [field, direction] of Object.entries(options.sort ?? {})) {
    assertFieldPath(field, 'sort');
    if (direction !== 1 && direction !== -1) throw new InvalidStoreInputError(`sort on "${field}" must be 1 or -1`);
  }
  for (const name of ['limit', 'skip'] as const) {
    const value = options[name];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new InvalidStoreInputError(`${name} must be a whole number, not ${String(value)}`);
    }
  }
}

/** Two operators touching the same path (or one path inside the other) is an error in MongoDB. */
function conflicts(a: string, b: string): boolean {
  return a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`);
}

export function assertValidUpdate(update: Update): void {
  if (!isPlainObject(update)) throw new InvalidStoreInputError('an update must be a plain object of operators');
  const operators = Object.keys(update);
  if (operators.length === 0) throw new InvalidStoreInputError('an update needs at least one operator');
  const seenPaths: string[] = [];
  for (const operator of operators) {
    if (!updateOperators.has(operator)) {
      throw new InvalidStoreInputError(`unknown update operator ${operator} (whole-document replacement is not supported)`);
    }
    const fields = (update as Record<string, unknown>)[operator];
    if (!isPlainObject(fields)) throw new InvalidStoreInputError(`${operator} needs an object of fields`);
    for (const [path, value] of Object.entries(fields)) {
      assertFieldPath(path, operator);
      if (operator !== '$setOnInsert' && (path === '_id' || path.startsWith('_id.'))) {
        throw new InvalidStoreInputError(`${operator} cannot change _id`);
      }
      if (operator === '$inc' && (typeof value !== 'number' || !Number.isFinite(value))) {
        throw new InvalidStoreInputError(`$inc on "${path}" needs a finite number`);
      }
      if (operator === '$setOnInsert' && path === '_id' && (typeof value !== 'string' || value === '')) {
        throw new InvalidStoreInputError('_id must be a non-empty string');
      }
      if (operator === '$push' && isOperatorObject(value)) {
        const modifiers = Object.keys(value);
        if (modifiers.length !== 1 || modifiers[0] !== '$each' || !Array.isArray(value.$each)) {
          throw new InvalidStoreInputError(`$push on "${path}" supports only { $each: [...] }`);
        }
      }
      const clash = seenPaths.find((seen) => conflicts(seen, path));
      if (clash !== undefined) {
        throw new InvalidStoreInputError(`update paths "${clash}" and "${path}" conflict`);
      }
      seenPaths.push(path);
    }
  }
}

function assertPortableFieldNames(value: unknown, where: string): void {
  if (Array.isArray(value)) {
    value.forEach((item) => assertPortableFieldNames(item, where));
  } else if (isPlainObject(value)) {
    for (const [key, inner] of Object.entries(value)) {
      if (key === '' || key.startsWith('$') || key.includes('.')) {
        throw new InvalidStoreInputError(`field name ${JSON.stringify(key)} in ${where} may not be empty, start with $ or contain .`);
      }
      assertPortableFieldNames(inner, where);
    }
  }
}

export function assertValidDocument(doc: Document): void {
  if (!isPlainObject(doc)) throw new InvalidStoreInputError('a document must be a plain object');
  if (typeof doc._id !== 'string' || doc._id === '') throw new InvalidStoreInputError('_id must be a non-empty string');
  assertPortableFieldNames(doc, 'a document');
}

/** Values written through `$set`, `$push` and `$setOnInsert` follow the same field-name rules. */
export function assertPortableUpdateValues(update: Update): void {
  for (const operator of ['$set', '$push', '$setOnInsert'] as const) {
    for (const value of Object.values(update[operator] ?? {})) {
      const written = operator === '$push' && isOperatorObject(value) ? value.$each : value;
      assertPortableFieldNames(written, operator);
    }
  }
}

/**
 * The `_id` an upsert would insert with: the filter's `_id` equality if it has one. MongoDB would
 * otherwise invent an ObjectId; both adapters invent a string instead so every `_id` is a string.
 */
export function upsertIdFromFilter(filter: Filter): string | undefined {
  const condition = filter._id;
  if (typeof condition === 'string') return condition;
  if (isOperatorObject(condition) && typeof condition.$eq === 'string') return condition.$eq;
  for (const clause of filter.$and ?? []) {
    const id = upsertIdFromFilter(clause);
    if (id !== undefined) return id;
  }
  return undefined;
}
