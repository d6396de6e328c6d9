/**
 * nedb writes every document it appends (and every document when it compacts) as one line made by
 * `model.serialize`: `JSON.stringify` with a replacer function that checks each key and turns each
 * Date into `{ "$$date": <ms> }`. A replacer runs for every key and value, and it takes
 * `JSON.stringify` off its fast path: under bench/turns that was a quarter of an embedded write's CPU.
 *
 * `serializeDocument` writes the same line: one walk checks the keys and finds the Dates (copying
 * only the objects on the way to one), then the native `JSON.stringify` writes the text, with no
 * replacer. A document the walk is not sure of (a key starting with `$` or holding a `.`, an object
 * with its own `toJSON`) goes to nedb's serializer, which writes it or throws as before. A test
 * holds the two to the same output.
 *
 * nedb reads `serialize` from its model module at call time, so replacing it there is enough. The
 * version is pinned in package.json, and a test checks the hook.
 */
type Serialize = (document: unknown) => string;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const nedbModel = require('@seald-io/nedb/lib/model.js') as { serialize: Serialize };

const nedbSerialize: Serialize = nedbModel.serialize;

/** The walk met something only nedb's serializer should judge. */
const UNSURE = Symbol('unsure');

function isDateLike(value: object): value is { getTime(): number } {
  return typeof (value as { getTime?: unknown }).getTime === 'function';
}

/** `value` as `JSON.stringify` should see it: the same object when it holds no Date, else a copy with each Date as `{ $$date }`. */
function prepared(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // nedb's replacer looks for `getTime` the same way, after `toJSON` (an invalid Date's gives null).
  if (isDateLike(value)) {
    const time = value.getTime();
    const plainDate = value instanceof Date ? Number.isFinite(time) : typeof time === 'number' && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
    return plainDate ? { $$date: time } : UNSURE;
  }
  // An object or array with its own `toJSON` is written as that gives: nedb's serializer judges it.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return UNSURE;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      const ready = prepared(item);
      if (ready === UNSURE) return UNSURE;
      if (ready !== item) {
        copy ??= value.slice();
        copy[index] = ready;
      }
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | null = null;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
    if (key.charCodeAt(0) === 36 /* $ */ || key.includes('.')) return UNSURE;
    const inner = record[key];
    const ready = prepared(inner);
    if (ready === UNSURE) return UNSURE;
    if (ready !== inner) {
      copy ??= { ...record };
      copy[key] = ready;
    }
  }
  return copy ?? value;
}

/** The line nedb's `model.serialize` writes for `document`, made faster. */
export function serializeDocument(document: unknown): string {
  const ready = prepared(document);
  return ready === UNSURE ? nedbSerialize(document) : JSON.stringify(ready);
}

/** nedb's own serializer, for comparison in tests. */
export function nedbSerializer(): Serialize {
  return nedbSerialize;
}

export function useFastSerialize(): void {
  nedbModel.serialize = serializeDocument;
}

export function fastSerializeInUse(): boolean {
  return nedbModel.serialize === serializeDocument;
}
