import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../../services/logging';
import { openEmbeddedStore } from '../../../services/store/embedded';
import { fastSerializeInUse, nedbSerializer, serializeDocument } from '../../../services/store/nedb-serialize';

/** The embedded store writes each datafile line without nedb's replacer, and the lines are the same. */
describe('embedded store serialisation', () => {
  const nedb = nedbSerializer();

  /** Documents of every shape the store keeps: nested, with Dates, arrays, nulls and undefined. */
  const documents: unknown[] = [
    { _id: 'a', state: '{"dialogState":{"dialogStack":[{"id":"root","state":{"x":"a \\"quoted\\" \\n word"}}]}}', eTag: 'e', updatedAt: new Date(1_795_463_508_452) },
    {
      _id: 'bench:user-1',
      consent: { version: 'privacy-notice-2026-11', givenAt: '2026-11-23T19:59:19.887Z' },
      reference: { channelId: 'bench', conversation: { id: 'c' }, user: { id: 'u' } },
      birth: { kind: 'age', age: 19, on: '2026-11-23' },
      situations: ['education', 'work'],
      remindersPaused: false,
    },
    { _id: 'dates', at: new Date(0), nested: { list: [new Date(5), { when: new Date(-1) }, 'x', 3] }, bad: new Date(Number.NaN) },
    { _id: 'gaps', list: [1, null, undefined, 'two', [], {}], missing: undefined, none: null, deep: { a: { b: { c: [undefined] } } } },
    { _id: 'text', words: 'emoji 🙂, quotes " and \\ backslashes, \u2028 separators, \u0000 controls', n: -0, big: 1e21, small: 5e-7 },
    { _id: 'fn', skip: () => 1, keep: 'yes' },
    { $$deleted: true, _id: 'removed' },
    { $$indexCreated: { fieldName: 'userKey', unique: false, sparse: false } },
    { _id: 'odd', value: { getTime: () => 42 } },
    { _id: 'json', value: { toJSON: () => 'custom' } },
    { _id: 'buffer', value: Buffer.from('hi') },
    { _id: 'ünïcode-ключ', 'ключ': 'значение', 10: 'ten', 2: 'two' },
  ];

  it.each(documents.map((document, index) => [index, document]))('writes document %i exactly as nedb does', (_index, document) => {
    expect(serializeDocument(document)).toBe(nedb(document));
  });

  it('writes 2,000 generated documents exactly as nedb does', () => {
    let seed = 20261123;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const words = ['plain', 'a "quote"', 'back\\slash', 'new\nline', 'tab\t', 'émoji 🙂', '', '\u2028', '\u0007', '1.5', 'null'];
    const value = (depth: number): unknown => {
      switch (Math.floor(random() * (depth > 3 ? 6 : 9))) {
        case 0:
          return pick(words);
        case 1:
          return Math.floor(random() * 2e6) - 1e6 + pick([0, 0.5, 1e-9]);
        case 2:
          return random() < 0.5;
        case 3:
          return pick([null, undefined]);
        case 4:
          return new Date(Math.floor(random() * 4e12));
        case 5:
          return pick(words) + String(Math.floor(random() * 100));
        case 6:
          return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
        default:
          return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`${pick(['k', 'field', 'ключ', '9'])}${i}`, value(depth + 1)]));
      }
    };
    for (let n = 0; n < 2000; n += 1) {
      const document = { _id: `d${n}`, ...(value(0) as object), body: value(1) };
      expect(serializeDocument(document)).toBe(nedb(document));
    }
  });

  it('throws for keys nedb refuses, as nedb does', () => {
    for (const document of [{ _id: 'x', 'a.b': 1 }, { _id: 'x', nested: { $where: 1 } }, { _id: 'x', list: [{ 'c.d': 2 }] }]) {
      expect(() => serializeDocument(document)).toThrow();
      expect(() => nedb(document)).toThrow();
    }
  });

  it('leaves odd values to nedb: an array with its own toJSON, a getTime that is not a number', () => {
    const list = Object.assign([1, 2], { toJSON: () => 'X' });
    const notADate = { getTime: () => 'soon' };
    expect(serializeDocument({ _id: 'x', list })).toBe(nedb({ _id: 'x', list }));
    expect(() => nedb({ _id: 'x', notADate })).toThrow();
    expect(() => serializeDocument({ _id: 'x', notADate })).toThrow();
  });

  it('copies only what holds a Date, and changes nothing it is given', () => {
    const at = new Date(7);
    const document = { _id: 'x', at, keep: { list: [1, 2] } };
    expect(serializeDocument(document)).toBe('{"_id":"x","at":{"$$date":7},"keep":{"list":[1,2]}}');
    expect(document.at).toBe(at);
  });

  it('is what the embedded store writes, and what it reads back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tribe-serialize-'));
    let store = await openEmbeddedStore(dir, createLogger('silent'));
    try {
      expect(fastSerializeInUse()).toBe(true);
      const at = new Date(1_795_463_508_452);
      await store.collection('notes').insertOne({ _id: 'n1', body: 'a "quoted" word', at, tags: ['x'] });
      expect(readFileSync(join(dir, 'notes.db'), 'utf8')).toContain('{"_id":"n1","body":"a \\"quoted\\" word","at":{"$$date":1795463508452},"tags":["x"]}');
      await store.close();
      store = await openEmbeddedStore(dir, createLogger('silent'));
      expect(await store.collection('notes').findOne({ _id: 'n1' })).toEqual({ _id: 'n1', body: 'a "quoted" word', at, tags: ['x'] });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
