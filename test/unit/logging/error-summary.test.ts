import { errorSummary, stackFrames } from '../../../services/error-summary';
import { createLogger } from '../../../services/logging';

// Fictional words standing in for a young person's message that a driver error might quote.
const QUOTED = 'im scared\n    at home he hits me\n    at night mostly (really:1:2)';

function thrownWith(message: string): Error {
  try {
    throw new Error(message);
  } catch (error) {
    return error as Error;
  }
}

describe('what an error may put in the logs', () => {
  it('keeps only the stack frames, however many lines the message runs to', () => {
    const frames = stackFrames(thrownWith(QUOTED))!;
    expect(frames.length).toBeGreaterThan(0);
    for (const frame of frames) expect(frame).toMatch(/^at /);
    expect(frames.join('\n')).not.toMatch(/scared|home he hits|night mostly/);
  });

  it('keeps no message line when the message changed after the stack was taken', () => {
    const error = thrownWith(QUOTED);
    error.message = 'something else';
    expect(stackFrames(error)!.join('\n')).not.toMatch(/home he hits/);
  });

  it('summarises by kind and code, never the message or the error own fields', () => {
    const error = Object.assign(thrownWith(QUOTED), { code: 11000, keyValue: { text: 'home he hits me' } });
    expect(errorSummary(error)).toEqual({ type: 'Error', code: 11000 });
  });

  it('the logger applies the same to anything logged as err', () => {
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) } as never);
    logger.error({ err: Object.assign(thrownWith(QUOTED), { keyValue: { text: 'home he hits me' } }) }, 'a write failed');
    const logged = JSON.parse(lines[0]!) as { err: { type: string; frames: string[] } };
    expect(logged.err.type).toBe('Error');
    expect(logged.err.frames.length).toBeGreaterThan(0);
    expect(lines[0]).not.toMatch(/scared|home he hits|night mostly/);
  });
});
