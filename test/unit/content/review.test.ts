import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ContentCatalog } from '../../../services/content/catalog';
import { ContentError } from '../../../services/content/loader';
import { readabilityProblem, readingGrade } from '../../../services/content/readability';
import { recordReview } from '../../../services/content/review';

const validDir = path.join(__dirname, '../../fixtures/content/valid');
const today = '2026-11-23';
let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tribe-content-'));
  fs.cpSync(validDir, dir, { recursive: true });
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const read = (relative: string) => fs.readFileSync(path.join(dir, relative), 'utf8');

describe('content review <id> --reviewer <role>', () => {
  it('publishes a draft with the reviewer, today and a review-by date six months on', () => {
    const result = recordReview(dir, { id: 'draft-template', reviewer: 'pa-reviewer', today });
    expect(result).toEqual({ file: expect.stringMatching(/templates\/draft\.yaml$/), reviewBy: '2027-05-23' });
    expect(read('templates/draft.yaml')).toMatch(
      /status: published\n[\s\S]*reviewBy: 2027-05-23\n[\s\S]*reviewer: pa-reviewer\nreviewedAt: 2026-11-23\n/,
    );
    const catalog = ContentCatalog.load(dir, { clock: { now: () => new Date(`${today}T12:00:00Z`) } });
    expect(catalog.render('draft-template')).toBe('This is not ready yet.');
  });

  it('edits Markdown front matter in place, keeping the body and an explicit review-by date', () => {
    recordReview(dir, { id: 'guide.test-housing', reviewer: 'safeguarding-lead', today, reviewBy: '2027-01-31' });
    const text = read('guides/test-housing.md');
    expect(text).toMatch(/^---\nid: guide\.test-housing\n[\s\S]*reviewer: safeguarding-lead\nreviewedAt: 2026-11-23\nreviewBy: 2027-01-31\n[\s\S]*---\nLook for a flat with your PA\./);
  });

  it.each([
    ['the author reviewing their own work', { id: 'draft-template', reviewer: 'content-editor' }, /the reviewer must not be the author/],
    ['a personal name instead of a role', { id: 'draft-template', reviewer: 'Jo Bloggs' }, /must be a role in lower-case words joined by -/],
    ['an id that does not exist', { id: 'nothing-here', reviewer: 'pa-reviewer' }, /no valid content file has the id "nothing-here"/],
    ['a review-by date in the past', { id: 'draft-template', reviewer: 'pa-reviewer', reviewBy: '2026-01-01' }, /must be after today/],
  ])('refuses %s', (_case, request, message) => {
    const before = read('templates/draft.yaml');
    expect(() => recordReview(dir, { today, ...request })).toThrow(ContentError);
    expect(() => recordReview(dir, { today, ...request })).toThrow(message);
    expect(read('templates/draft.yaml')).toBe(before);
  });

  it('puts the file back when the reviewed item would not pass content check', () => {
    const draft = [
      '---',
      'id: entitlement.unsourced-draft',
      'kind: entitlement',
      'title: A draft with no sources yet',
      'audience: [care-leaver]',
      'status: draft',
      'author: content-editor',
      'reviewBy: 2027-05-01',
      'eligibility: { minAge: 16, councilLocal: false }',
      'howToClaim: Ask your PA.',
      '---',
      'Drafts may leave sources for later; published facts may not.',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(dir, 'entitlements/draft.md'), draft);
    expect(() => recordReview(dir, { id: 'entitlement.unsourced-draft', reviewer: 'pa-reviewer', today })).toThrow(
      /would not pass content check[\s\S]*sources: an entitlement states facts/,
    );
    expect(read('entitlements/draft.md')).toBe(draft);
  });
});

describe('readability', () => {
  it('scores plain sentences low and officialese high (Flesch–Kincaid grade)', () => {
    expect(readingGrade('You can ask your PA. They will help you. It is free.')).toBeLessThan(3);
    expect(
      readingGrade('Notwithstanding statutory responsibilities, determination necessitates comprehensive consideration of individual circumstances.'),
    ).toBeGreaterThan(16);
  });

  it('sets a stricter limit for notices than for other young-people content, and skips other audiences', () => {
    const sentence = 'Your personal adviser organises your accommodation application with the council. ';
    const base = {
      id: 'x',
      title: 'x',
      keywords: [],
      status: 'published' as const,
      author: 'a',
      reviewBy: '2027-01-01',
      sources: [],
      params: {},
      suggestions: [],
      related: [],
      body: sentence.repeat(6),
    };
    expect(readabilityProblem({ ...base, kind: 'notice', audience: ['care-leaver'] })).toMatch(/grade 6 or below/);
    expect(readabilityProblem({ ...base, kind: 'notice', audience: ['adviser'] })).toBeUndefined();
  });
});
