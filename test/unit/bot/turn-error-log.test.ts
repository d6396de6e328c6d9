import type { TurnContext } from 'botbuilder';
import { createAdapter } from '../../../bot/adapter';
import { loadConfig } from '../../../services/config';
import { createLogger } from '../../../services/logging';

/** A failed turn is logged by where it failed, never by what the error says (DESIGN.md rule 4). */
describe('a failed turn in the logs', () => {
  const words = 'i took all my tablets an hour ago';

  async function failTurn(error: unknown): Promise<string[]> {
    const lines: string[] = [];
    const logger = createLogger('trace', { write: (line: string) => void lines.push(line) } as never);
    const adapter = createAdapter(loadConfig({}), logger, async () => {
      throw new Error(`could not send a reply quoting "${words}"`);
    });
    const context = { activity: { id: 'activity-1', channelId: 'directline' } } as unknown as TurnContext;
    await adapter.onTurnError!(context, error as Error);
    return lines;
  }

  it('keeps the kind of error and its stack frames, and drops its message', async () => {
    const error = new TypeError(`cannot read the note "${words}"`);
    const lines = await failTurn(error);
    const logged = lines.join('\n');
    expect(logged).not.toContain('tablets');
    const turnFailed = JSON.parse(lines.find((line) => line.includes('turn failed'))!);
    expect(turnFailed.error).toEqual({ type: 'TypeError' });
    expect(turnFailed.frames.length).toBeGreaterThan(0);
    expect(turnFailed.frames[0]).toMatch(/^at /);
    expect(turnFailed.activityId).toBe('activity-1');
    expect(lines.some((line) => line.includes('could not send the apology'))).toBe(true);
  });

  it('copes with something thrown that is not an Error', async () => {
    const lines = await failTurn(words);
    expect(lines.join('\n')).not.toContain('tablets');
    expect(JSON.parse(lines.find((line) => line.includes('turn failed'))!).error).toEqual({ type: 'string' });
  });
});

describe('any error logged as `err`', () => {
  it('is logged by its type, code and frames, never its message or own fields', () => {
    const lines: string[] = [];
    const logger = createLogger('trace', { write: (line: string) => void lines.push(line) } as never);
    const duplicate = Object.assign(new Error('E11000 duplicate key: { _id: "young-person-key" }'), {
      code: 11000,
      keyValue: { _id: 'young-person-key' },
    });
    logger.error({ err: duplicate }, 'store write failed');
    const record = JSON.parse(lines[0]!);
    expect(record.err).toMatchObject({ type: 'Error', code: 11000 });
    expect(record.err.frames.length).toBeGreaterThan(0);
    expect(lines[0]).not.toContain('young-person-key');
  });
});
