import type { Filter } from './port';
import { assertValidFilter, isOperatorObject, isPlainObject } from './store-input';

/**
 * Translates a port filter into an nedb query with MongoDB's meaning where nedb differs:
 * - `{ f: null }` matches a missing field too;
 * - `$ne` / `$nin` exclude documents whose array field contains the value;
 * - there is no `$eq` in nedb;
 * - range operators on booleans and null follow MongoDB's ordering instead of matching nothing.
 * Plain equality stays a top-level key so nedb can answer it from an index.
 */

type NedbQuery = Record<string, unknown>;

const matchNothing: NedbQuery = { $or: [] };

function equality(field: string, value: unknown): NedbQuery {
  if (value === null) return { $or: [{ [field]: null }, { [field]: { $exists: false } }] };
  return { [field]: value };
}

function membership(field: string, values: unknown[]): NedbQuery {
  const present = values.filter((value) => value !== null);
  if (present.length === values.length) return { [field]: { $in: values } };
  return { $or: [{ [field]: { $in: present } }, equality(field, null)] };
}

const compare = {
  $lt: (a: number, b: number) => a < b,
  $lte: (a: number, b: number) => a <= b,
  $gt: (a: number, b: number) => a > b,
  $gte: (a: number, b: number) => a >= b,
};
type RangeOperator = keyof typeof compare;

function range(field: string, operator: RangeOperator, bound: unknown): NedbQuery {
  if (bound === null) return operator === '$lte' || operator === '$gte' ? equality(field, null) : matchNothing;
  if (typeof bound === 'boolean') {
    // false < true, and booleans compare only with booleans.
    const allowed = [false, true].filter((candidate) => compare[operator](Number(candidate), Number(bound)));
    return allowed.length === 0 ? matchNothing : { [field]: { $in: allowed } };
  }
  return { [field]: { [operator]: bound } };
}

function fieldClauses(field: string, condition: unknown): NedbQuery[] {
  if (!isOperatorObject(condition)) return [equality(field, condition)];
  return Object.entries(condition).map(([operator, operand]) => {
    switch (operator) {
      case '$eq':
        return equality(field, operand);
      case '$ne':
        return { $not: equality(field, operand) };
      case '$in':
        return membership(field, operand as unknown[]);
      case '$nin':
        return { $not: membership(field, operand as unknown[]) };
      case '$exists':
        return { [field]: { $exists: operand } };
      default:
        return range(field, operator as RangeOperator, operand);
    }
  });
}

function translate(filter: Filter): NedbQuery {
  const query: NedbQuery = {};
  const extra: NedbQuery[] = [];
  for (const [key, condition] of Object.entries(filter)) {
    if (condition === undefined) continue;
    if (key === '$or' || key === '$and') {
      extra.push({ [key]: (condition as Filter[]).map(translate) });
      continue;
    }
    for (const clause of fieldClauses(key, condition)) {
      const keys = Object.keys(clause);
      const indexable = keys.length === 1 && keys[0] === key && !(key in query);
      if (indexable) query[key] = clause[key];
      else extra.push(clause);
    }
  }
  if (extra.length > 0) query.$and = extra;
  return query;
}

/** `{ _id: 'text' }` alone: most reads and writes of a turn look a document up so. */
function isIdLookup(filter: Filter): boolean {
  if (typeof filter._id !== 'string') return false;
  for (const key in filter) if (key !== '_id') return false;
  return isPlainObject(filter);
}

export function toNedbQuery(filter: Filter): NedbQuery {
  // Valid as it is, and nedb reads it with the same meaning (answered from the _id index).
  if (isIdLookup(filter)) return { _id: filter._id };
  assertValidFilter(filter);
  return translate(filter);
}
