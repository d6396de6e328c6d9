import pino, { type Logger } from 'pino';
import { errorSummary, stackFrames } from './error-summary';

export type { Logger };

/**
 * Structured JSON logs. Logs carry ids and outcomes only: message text, names and tokens are
 * redacted even if a caller passes them by mistake.
 */
export const redactedPaths = [
  'text',
  '*.text',
  'activity.text',
  'name',
  '*.name',
  'from.name',
  'recipient.name',
  'token',
  '*.token',
  'authorization',
  'req.headers.authorization',
  'headers.authorization',
  '*.excerpt',
  'excerpt',
  'note',
  '*.note',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tribe' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      // An error is logged by its type, code and stack frames, never its message or own fields:
      // a store or driver error can quote the document it failed to write (DESIGN.md rule 4).
      serializers: { err: (error: unknown) => ({ ...errorSummary(error), frames: stackFrames(error) }) },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
