import pino, { type Logger } from 'pino';

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
      // Errors are serialised the standard way (type, message, stack, own fields). The safety path
      // logs only `errorSummary(error)` (services/error-summary.ts): an error's message may quote a document.
      serializers: { err: pino.stdSerializers.err },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
