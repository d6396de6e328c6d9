import path from 'node:path';
import type { Clock } from '../../../services/clock';
import { botTemplates } from '../../../services/content/bot-templates';
import { addMonths, ContentCatalog, ContentUnavailableError } from '../../../services/content/catalog';
import { ContentError, loadContent } from '../../../services/content/loader';
import { MissingTemplatesError, requireTemplates } from '../../../services/content/require';
import { TemplateParamError } from '../../../services/content/templates';

const fixtures = path.join(__dirname, '../../fixtures/content');
const validDir = path.join(fixtures, 'valid');

function clockAt(date: string): Clock & { set(date: string): void } {
  let now = new Date(`${date}T12:00:00Z`);
  return { now: () => now, set: (next) => (now = new Date(`${next}T12:00:00Z`)) };
}

const catalogAt = (date: string) => ContentCatalog.load(validDir, { clock: clockAt(date) });

describe('ContentCatalog: only published content within its review-by date is served', () => {
  it('serves published items and lists them by kind', () => {
    const catalog = catalogAt('2026-11-23');
    expect(catalog.get('greeting')?.title).toBe('Greeting with a name and an amount');
    expect(catalog.list('template').map((t) => t.id)).toEqual(['expires-soon', 'greeting', 'plain']);
    expect(catalog.getOfKind('entitlement.test-bursary', 'entitlement')?.eligibility).toEqual({
      minAge: 16,
      maxAge: 24,
      situations: ['starting-apprenticeship'],
      councilLocal: false,
      inForce: true,
    });
    expect(catalog.getOfKind('entitlement.test-bursary', 'guide')).toBeUndefined();
  });

  it('never serves drafts or expired items, and says why', () => {
    const catalog = catalogAt('2026-11-23');
    expect(catalog.get('draft-template')).toBeUndefined();
    expect(catalog.unavailability('draft-template')).toBe('not published');
    expect(catalog.get('entitlement.expired')).toBeUndefined();
    expect(catalog.unavailability('entitlement.expired')).toBe('past its review-by date');
    expect(catalog.unavailability('no-such-id')).toBe('missing');
    expect(() => catalog.render('draft-template')).toThrow(ContentUnavailableError);
  });

  it('stops serving an item the day after its review-by date, without a restart', () => {
    const clock = clockAt('2026-12-01');
    const catalog = ContentCatalog.load(validDir, { clock });
    expect(catalog.render('expires-soon')).toBe('Short-lived text.');
    clock.set('2026-12-02');
    expect(catalog.get('expires-soon')).toBeUndefined();
    expect(() => catalog.render('expires-soon')).toThrow('content "expires-soon" cannot be served: past its review-by date');
  });

  it('lists published items due for review', () => {
    expect(catalogAt('2026-11-23').dueWithin(30).map((item) => item.id)).toEqual(['entitlement.expired', 'expires-soon']);
  });

  it('keeps other modules’ kinds, validating only their metadata', () => {
    const lexicon = catalogAt('2026-11-23').getOfKind('safety.test-lexicon', 'safety-lexicon');
    expect(lexicon?.['terms']).toEqual({ urgent: ['example phrase'] });
  });

  it('accepts a council local offer in the local-offer schema (the fixture council is fictional)', () => {
    const offer = catalogAt('2026-11-23').getOfKind('local-offer.fictionshire', 'local-offer');
    expect(offer?.councilTaxExemption).toEqual({
      offered: true,
      upToAge: 25,
      percent: 100,
      howToApply: 'Ask your PA to tell the council tax team.',
    });
    expect(offer?.contacts[0]?.phone).toBe('01234 567890');
  });

  it('refuses to load invalid content, listing every problem with file and field', () => {
    expect(() => ContentCatalog.load(path.join(fixtures, 'faults', 'bad-schema'))).toThrow(ContentError);
    expect(() => ContentCatalog.load(path.join(fixtures, 'faults', 'bad-schema'))).toThrow(
      /bad-schema\/welcome\.yaml › status: .*\n.*bad-schema\/welcome\.yaml › reviewBy: a date as YYYY-MM-DD/s,
    );
  });
});

describe('render: typed, named params', () => {
  const catalog = catalogAt('2026-11-23');

  it('fills every placeholder, formatting numbers the British way', () => {
    expect(catalog.render('greeting', { name: 'Sam', amount: 3000 })).toBe(
      'Hi Sam, you could get £3,000. Sam, ask your PA about it.',
    );
    expect(catalog.render('plain')).toBe('Pick something from the menu.');
  });

  it.each([
    ['a missing param', { name: 'Sam' }, /"amount" \(number\) is missing/],
    ['an extra param', { name: 'Sam', amount: 1, colour: 'red' }, /"colour" is not a parameter of this template/],
    ['a string where a number is declared', { name: 'Sam', amount: '3000' }, /"amount" must be a finite number/],
    ['a number where a string is declared', { name: 42, amount: 1 }, /"name" must be a string/],
    ['a number that is not finite', { name: 'Sam', amount: Number.NaN }, /"amount" must be a finite number/],
  ])('throws on %s', (_case, params, message) => {
    expect(() => catalog.render('greeting', params)).toThrow(TemplateParamError);
    expect(() => catalog.render('greeting', params)).toThrow(message);
  });

  it('renders only templates and notices', () => {
    expect(catalog.render('notice.test-privacy')).toMatch(/^Tribe keeps what you tell it/);
    expect(() => catalog.render('guide.test-housing')).toThrow('not a template or notice');
  });
});

describe('requireTemplates: the start-up check', () => {
  it('returns a typed renderer when every needed template is servable with the same params', () => {
    const templates = requireTemplates(catalogAt('2026-11-23'), {
      greeting: { name: 'string', amount: 'number' },
      plain: {},
    });
    expect(templates.render('greeting', { name: 'Ali', amount: 20 })).toBe('Hi Ali, you could get £20. Ali, ask your PA about it.');
    expect(templates.render('plain')).toBe('Pick something from the menu.');
    expect(templates.suggestions('greeting')).toEqual(['Tell me more']);
  });

  it('refuses to start, clearly, when a needed template is unpublished', () => {
    const catalog = ContentCatalog.load(path.join(fixtures, 'faults', 'unpublished-required-template'), {
      clock: clockAt('2026-11-23'),
    });
    expect(() => requireTemplates(catalog, { welcome: {} })).toThrow(MissingTemplatesError);
    expect(() => requireTemplates(catalog, { welcome: {} })).toThrow(
      'Tribe cannot start: templates the dialogs need cannot be served\n  - "welcome" is not published',
    );
  });

  it('lists every missing, expired or mismatched template at once', () => {
    expect(() =>
      requireTemplates(catalogAt('2026-11-23'), {
        greeting: { name: 'string' },
        'entitlement.test-bursary': {},
        'expires-soon': {},
        nowhere: {},
        'entitlement.expired': {},
      }),
    ).toThrow(
      [
        'Tribe cannot start: templates the dialogs need cannot be served',
        '  - "greeting" declares { name: string, amount: number } but the dialogs pass { name: string }',
        '  - "entitlement.test-bursary" is of kind entitlement, not a template or notice',
        '  - "nowhere" is missing',
        '  - "entitlement.expired" is past its review-by date',
      ].join('\n'),
    );
  });

  it('is satisfied by the content that ships, for every template the bot needs', () => {
    const templates = requireTemplates(ContentCatalog.load(), botTemplates);
    expect(templates.render('nudge.trusted-adult.check-in', { name: 'Sam', weeks: 3 })).toMatch(
      /^Hi, it's Tribe\. It's been 3 weeks since you checked in with Sam\./,
    );
    const urgent = templates.render('safety.urgent');
    for (const needed of [/call 999/, /Samaritans: call 116 123/, /text SHOUT to 85258/, /111 and choose option 2/, /under 19: call 0800 1111/, /telling your PA now, or the duty team/, /Are you safe right now\?/]) {
      expect(urgent).toMatch(needed);
    }
    const medical = templates.render('safety.urgent.medical');
    for (const needed of [/^\*\*This sounds like an emergency\. Call 999 now and ask for an ambulance\./, /Samaritans: call 116 123/, /text SHOUT to 85258/, /call 111 \(choose option 2/, /under 19: call 0800 1111/, /telling your PA now, or the duty team/]) {
      expect(medical).toMatch(needed);
    }
    expect(templates.render('safety.high.harm')).toMatch(/call 999[\s\S]*call 101/);
  });
});

describe('loader', () => {
  it('skips READMEs and reads Markdown bodies below the front matter', () => {
    const { items, problems } = loadContent(validDir);
    expect(problems).toEqual([]);
    expect(items.map((loaded) => loaded.item.id)).not.toContain('README');
    expect(items.find((loaded) => loaded.item.id === 'guide.test-housing')?.item).toMatchObject({
      body: expect.stringMatching(/^Look for a flat with your PA\./),
    });
  });
});

describe('dates', () => {
  it.each([
    ['2026-11-23', 6, '2027-05-23'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2027-12-15', 1, '2028-01-15'],
  ])('%s plus %i months is %s', (from, months, expected) => {
    expect(addMonths(from, months)).toBe(expected);
  });
});
