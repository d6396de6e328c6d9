import restify, { type Next, type Request, type RequestHandler, type Response } from 'restify';
import { sendError } from './errors';

// jsonBodyParser hands `maxBodySize` to bodyReader; the published types omit it.
/** Requires `application/json`, then parses it: other types get 415, oversize 413, bad JSON 400. */
export function jsonBody(maxBodySize: number): RequestHandler[] {
  const requireJson: RequestHandler = (req: Request, res: Response, next: Next) => {
    if (!req.is('json')) {
      sendError(res, 415, 'UnsupportedMediaType', 'send the body as application/json');
      return next(false);
    }
    return next();
  };
  return [requireJson, ...(restify.plugins.jsonBodyParser({ maxBodySize, mapParams: false } as restify.plugins.JsonBodyParserOptions) as unknown as RequestHandler[])];
}
