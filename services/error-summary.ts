/**
 * What the safety path may log about an error: its kind, and a status or code when it has one.
 *
 * Never the message, the stack or the error's own fields: a store or driver error can quote the
 * document it failed to write (MongoDB's `errInfo`, `keyValue`), and on the safety path that
 * document holds a young person's words. Logs carry ids and categories only (DESIGN.md rule 4).
 */
export interface ErrorSummary {
  type: string;
  code?: string | number;
  status?: number;
}

const CODE = /^[A-Za-z0-9_.-]{1,64}$/;

/** An Error, or one from another realm (a vm context or worker) that fails `instanceof Error`. */
function isErrorLike(error: unknown): error is Error {
  return error instanceof Error || (typeof error === 'object' && error !== null && typeof (error as Error).name === 'string' && typeof (error as Error).message === 'string');
}

export function errorSummary(error: unknown): ErrorSummary {
  if (!isErrorLike(error)) return { type: error === null ? 'null' : typeof error };
  const summary: ErrorSummary = { type: CODE.test(error.name) ? error.name : 'Error' };
  const { code, status, statusCode } = error as { code?: unknown; status?: unknown; statusCode?: unknown };
  if (typeof code === 'number' && Number.isFinite(code)) summary.code = code;
  else if (typeof code === 'string' && CODE.test(code)) summary.code = code;
  const httpStatus = [status, statusCode].find((value): value is number => typeof value === 'number' && value >= 100 && value < 600);
  if (httpStatus !== undefined) summary.status = httpStatus;
  return summary;
}

/** A V8 stack frame: "at fn (file:line:col)", "at file:line:col", "at fn (native)" or "<anonymous>". */
const FRAME = /^\s+at (?:.+ \()?(?:.*:\d+:\d+|native|<anonymous>)\)?$/;

/**
 * Where an error was thrown: the stack's frames only. The first lines of a stack repeat the
 * message, which may run over several lines and quote a young person's words; they are cut off,
 * and only lines shaped like frames are kept.
 */
export function stackFrames(error: unknown, limit = 12): string[] | undefined {
  if (!isErrorLike(error) || typeof error.stack !== 'string') return undefined;
  const header = `${error.name}: ${error.message}`;
  const stack = error.stack.startsWith(header) ? error.stack.slice(header.length) : error.stack;
  return stack
    .split('\n')
    .filter((line) => FRAME.test(line))
    .slice(0, limit)
    .map((line) => line.trim());
}
