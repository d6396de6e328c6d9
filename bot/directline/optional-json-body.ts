import type { Next, Request, RequestHandler, Response } from 'restify';
import { jsonBody } from '../http/json-body';

/**
 * Like `jsonBody`, but a request with no body at all is accepted as `{}`: Direct Line clients
 * send some calls (token refresh, starting a conversation) without one.
 */
export function optionalJsonBody(maxBodySize: number): RequestHandler {
  const chain = jsonBody(maxBodySize);
  return (req: Request, res: Response, next: Next) => {
    const length = req.contentLength();
    const chunked = String(req.header('transfer-encoding') ?? '').toLowerCase().includes('chunked');
    if (!chunked && !length) {
      req.body = {};
      return next();
    }
    let index = 0;
    const step = (result?: unknown): void => {
      if (result !== undefined && result !== null) return next(result as Error);
      const handler = chain[index++];
      if (!handler) return next();
      handler(req, res, step as Next);
    };
    step();
  };
}
