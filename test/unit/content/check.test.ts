import path from 'node:path';
import { londonDate } from '../../../services/clock';
import { checkContent } from '../../../services/content/check';
import { defaultContentDir, formatProblem } from '../../../services/content/loader';

const fixtures = path.join(__dirname, '../../fixtures/content');
const fault = (name: string) => path.join(fixtures, 'faults', name);
const today = '2026-11-23';

describe('content check', () => {
  it('passes on the content that ships, including the templates the bot needs', () => {
    const { errors, items } = checkContent(defaultContentDir(), { today: londonDate(new Date()) });
    expect(errors.map(formatProblem)).toEqual([]);
    expect(items.length).toBeGreaterThan(30);
  });

  it('passes on the valid fixture set, and warns about content that is due or expired', () => {
    const { errors, warnings } = checkContent(path.join(fixtures, 'valid'), { today, requirements: {} });
    expect(errors.map(formatProblem)).toEqual([]);
    expect(warnings.map(formatProblem)).toEqual([
      expect.stringMatching(/entitlements\/expired\.md › reviewBy: expired on 2025-07-01: not served/),
      expect.stringMatching(/templates\/expires-soon\.yaml › reviewBy: due for review by 2026-12-01/),
    ]);
  });

  // One broken fixture per kind of fault: the message names the file, the field and the fix.
  it.each([
    ['bad-schema', 'welcome.yaml', 'id', /lower-case words joined by \. or -/],
    ['bad-schema', 'welcome.yaml', 'title', /expected string/],
    ['bad-schema', 'welcome.yaml', 'audience.0', /care-leaver/],
    ['bad-schema', 'welcome.yaml', 'status', /draft.*in-review.*published.*retired/],
    ['bad-schema', 'welcome.yaml', 'reviewBy', /YYYY-MM-DD/],
    ['bad-schema', 'welcome.yaml', '', /Unrecognized key: "reviwer"/],
    ['reviewer-is-author', 'welcome.yaml', 'reviewer', /the reviewer must not be the author/],
    ['missing-sources', 'bursary.md', 'sources', /states facts, so it needs at least one source/],
    ['broken-reference', 'guide.md', 'related', /"entitlement\.does-not-exist" does not exist/],
    ['bad-link', 'guide.md', 'body', /link "the jobs site" → "htps\/\/jobs": not a well-formed address/],
    ['bad-link', 'guide.md', 'body', /"http:\/\/insecure\.example\.org\/jobs\." must use https/],
    ['hard-to-read', 'guide.md', 'body', /reads at grade \d+\.\d \(Flesch–Kincaid\); .* grade 8 or below/],
    ['template-param-mismatch', 'nudge.yaml', 'body', /\{weeks\} is used in the body but not declared in params/],
    ['template-param-mismatch', 'nudge.yaml', 'body', /param "days" is declared but the body never uses \{days\}/],
    ['unconfirmed-stated-as-fact', 'nhs.md', 'body', /must say it is "not confirmed yet"/],
  ])('fails on %s: %s › %s', (fixture, file, field, message) => {
    const { errors } = checkContent(fault(fixture), { today, requirements: {} });
    expect(errors).toContainEqual({
      file: expect.stringMatching(new RegExp(`faults/${fixture}/${file.replace('.', '\\.')}$`)),
      ...(field ? { field } : {}),
      message: expect.stringMatching(message),
    });
  });

  it('reports every fault in a file at once, not just the first', () => {
    const { errors } = checkContent(fault('bad-schema'), { today, requirements: {} });
    expect(errors.length).toBeGreaterThanOrEqual(6);
  });

  it('fails when a template the bot needs is not published', () => {
    const { errors } = checkContent(fault('unpublished-required-template'), {
      today,
      requirements: { welcome: {} },
    });
    expect(errors.map(formatProblem)).toEqual([
      expect.stringMatching(/unpublished-required-template\/welcome\.yaml: needed by the bot: "welcome" is not published/),
    ]);
  });

  it('fails when a template the bot needs is missing or declares other params', () => {
    const { errors } = checkContent(path.join(fixtures, 'valid'), {
      today,
      requirements: { greeting: { name: 'string' }, farewell: {} },
    });
    expect(errors.map((e) => e.message)).toEqual([
      'needed by the bot: "greeting" declares { name: string, amount: number } but the dialogs pass { name: string }',
      'needed by the bot: "farewell" is missing',
    ]);
  });
});
