import path from 'node:path';
import type { Clock } from '../../../services/clock';
import { ContentCatalog, ContentUnavailableError } from '../../../services/content/catalog';
import { requireTemplates } from '../../../services/content/require';
import type { ContentItem, ScriptedItem } from '../../../services/content/schemas';
import { type ParamValues, renderScripted, TemplateParamError } from '../../../services/content/templates';
import { dialogTemplates } from '../../../dialogs/journey-services';

/**
 * The catalog keeps the day's servable scripted items and the rendered text of those without
 * params (content is loaded once and never changes in the process). These show the cache gives
 * the same answers as before: the same words, the same errors, expiry at Europe/London midnight,
 * and at most one entry per item.
 */

const validDir = path.join(__dirname, '../../fixtures/content/valid');

function clockAtInstant(iso: string): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => now, set: (next) => (now = new Date(next)) };
}

interface CacheView {
  scriptedToday: Map<string, ScriptedItem>;
  renderedToday: Map<string, string>;
}
const cacheOf = (catalog: ContentCatalog) => catalog as unknown as CacheView;

/** How rendering worked before parts were cached: one regular-expression replace. */
function renderByRegExp(item: ScriptedItem, values: ParamValues): string {
  const format = new Intl.NumberFormat('en-GB');
  return item.body.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (_match, name: string) => {
    const value = values[name]!;
    return typeof value === 'number' ? format.format(value) : value;
  });
}

describe('ContentCatalog cache of scripted items and rendered text', () => {
  it('renders the same words, again and again, and returns the same items', () => {
    const catalog = ContentCatalog.load(validDir, { clock: clockAtInstant('2026-11-23T12:00:00Z') });
    const first = catalog.render('plain');
    expect(catalog.render('plain')).toBe(first);
    expect(catalog.render('plain', {})).toBe(first);
    expect(first).toBe(renderScripted(catalog.scripted('plain')));
    expect(catalog.scripted('plain')).toBe(catalog.get('plain'));
    expect(catalog.render('greeting', { name: 'Ash', amount: 3000 })).toBe('Hi Ash, you could get £3,000. Ash, ask your PA about it.');
    expect(catalog.render('greeting', { name: 'Kit', amount: 2 })).toBe('Hi Kit, you could get £2. Kit, ask your PA about it.');
  });

  it('still throws the same errors: wrong params, unknown and unpublished ids, every time', () => {
    const catalog = ContentCatalog.load(validDir, { clock: clockAtInstant('2026-11-23T12:00:00Z') });
    catalog.render('plain');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      expect(() => catalog.render('plain', { extra: 'x' })).toThrow(TemplateParamError);
      expect(() => catalog.render('greeting')).toThrow(TemplateParamError);
      expect(() => catalog.render('greeting', { name: 'Ash' })).toThrow('"amount" (number) is missing');
      expect(() => catalog.render('no-such-id')).toThrow(new ContentUnavailableError('no-such-id', 'missing'));
      expect(() => catalog.render('draft-template')).toThrow(new ContentUnavailableError('draft-template', 'not published'));
      expect(() => catalog.scripted('entitlement.test-bursary')).toThrow(new ContentUnavailableError('entitlement.test-bursary', 'not a template or notice'));
    }
    expect([...cacheOf(catalog).scriptedToday.keys()].sort()).toEqual(['greeting', 'plain']);
    expect([...cacheOf(catalog).renderedToday.keys()]).toEqual(['plain']);
  });

  it.each([
    ['winter (GMT)', '2026-12-01T23:59:00Z', '2026-12-02T00:00:00Z'],
    ['winter, the minute after', '2026-12-01T23:59:59Z', '2026-12-02T00:00:01Z'],
  ])('stops serving an expired item at Europe/London midnight, in %s', (_season, lastMinute, midnight) => {
    const clock = clockAtInstant(lastMinute);
    const catalog = ContentCatalog.load(validDir, { clock });
    expect(catalog.render('expires-soon')).toBe('Short-lived text.');
    expect(catalog.scripted('expires-soon').id).toBe('expires-soon');
    clock.set(midnight);
    expect(() => catalog.render('expires-soon')).toThrow('content "expires-soon" cannot be served: past its review-by date');
    expect(() => catalog.scripted('expires-soon')).toThrow(ContentUnavailableError);
    expect(catalog.render('plain')).toBe('Pick something from the menu.');
  });

  it('follows the London date, not UTC: in summer an item expires at 23:00 UTC', () => {
    const item = (reviewBy: string): ContentItem =>
      ({
        id: 'summer-text',
        kind: 'template',
        title: 'Summer',
        audience: ['care-leaver'],
        keywords: [],
        status: 'published',
        author: 'a',
        reviewer: 'b',
        reviewedAt: '2026-01-01',
        reviewBy,
        sources: [],
        body: 'Summer words.',
        params: {},
        suggestions: ['OK'],
        related: [],
      }) as ContentItem;
    const clock = clockAtInstant('2026-07-01T22:59:00Z');
    const catalog = new ContentCatalog([item('2026-07-01')], { clock });
    expect(catalog.render('summer-text')).toBe('Summer words.');
    expect(catalog.scripted('summer-text').suggestions).toEqual(['OK']);
    clock.set('2026-07-01T23:00:00Z');
    expect(() => catalog.render('summer-text')).toThrow(ContentUnavailableError);
    expect(() => catalog.scripted('summer-text')).toThrow(ContentUnavailableError);
  });

  it('holds at most one entry per servable item, however many renders', () => {
    const catalog = ContentCatalog.load(undefined, { clock: clockAtInstant('2026-11-23T12:00:00Z') });
    const texts = requireTemplates(catalog, dialogTemplates);
    const ids = Object.keys(dialogTemplates) as Array<keyof typeof dialogTemplates>;
    for (let round = 0; round < 3; round += 1) {
      for (const id of ids) {
        texts.suggestions(id);
        if (Object.keys(dialogTemplates[id]).length === 0) (texts.render as (id: string) => string)(id);
      }
    }
    const noParams = ids.filter((id) => Object.keys(dialogTemplates[id]).length === 0);
    expect(cacheOf(catalog).scriptedToday.size).toBe(ids.length);
    expect(cacheOf(catalog).renderedToday.size).toBe(noParams.length);
  });

  it('renders every shipped template exactly as the regular-expression replace did', () => {
    const catalog = ContentCatalog.load(undefined, { clock: clockAtInstant('2026-11-23T12:00:00Z') });
    const scripted = [...catalog.list('template'), ...catalog.list('notice')];
    expect(scripted.length).toBeGreaterThan(50);
    const awkward = ['$&', '$1 and $$', '{name}', '', 'Zoë', '£3,000'];
    for (const item of scripted) {
      for (const [index, text] of awkward.entries()) {
        const values: Record<string, string | number> = {};
        for (const [name, type] of Object.entries(item.params)) values[name] = type === 'number' ? [0, 1, 1234.5, 3000, -2, 1e9][index]! : text;
        expect(catalog.render(item.id, values)).toBe(renderByRegExp(item, values));
        expect(renderScripted(item, values)).toBe(renderByRegExp(item, values));
      }
    }
  });

  it('renders bodies with placeholders at the edges and side by side', () => {
    const base = catalogItem('{a}{b} middle {a}');
    expect(renderScripted(base, { a: 'X', b: 2 })).toBe(renderByRegExp(base, { a: 'X', b: 2 }));
    expect(renderScripted(base, { a: 'X', b: 2 })).toBe('X2 middle X');
    const none = catalogItem('No params at all, {not a placeholder}.', {});
    expect(renderScripted(none)).toBe('No params at all, {not a placeholder}.');
  });
});

function catalogItem(body: string, params: Record<string, 'string' | 'number'> = { a: 'string', b: 'number' }): ScriptedItem {
  return { id: `t-${body.length}`, kind: 'template', body, params, suggestions: [] } as unknown as ScriptedItem;
}
