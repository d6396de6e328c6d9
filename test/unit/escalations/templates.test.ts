import { safeguardingTemplates } from '../../../bot/safeguarding';
import { londonDate } from '../../../services/clock';
import { checkContent } from '../../../services/content/check';
import { defaultContentDir } from '../../../services/content/loader';
import { formatProblem } from '../../../services/content/loader';

describe('safeguarding templates', () => {
  it('are all present, published, well-formed and pass the content check', () => {
    const report = checkContent(defaultContentDir(), { today: londonDate(new Date()), requirements: safeguardingTemplates });
    const ours = report.errors.filter(
      (problem) => /escalation-|adviser-|safety-/.test(problem.file) || problem.message.startsWith('needed by the bot'),
    );
    expect(ours.map(formatProblem)).toEqual([]);
  });
});
