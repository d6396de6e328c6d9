import type { Request, RequestHandler, Response, Server } from 'restify';
import { z } from 'zod';
import { sendError } from '../bot/http/errors';
import { jsonBody } from '../bot/http/json-body';
import type { Adviser, AdviserDirectory } from '../services/advisers/adviser-directory';
import type { InviteCodes } from '../services/advisers/invite-codes';
import {
  acknowledge,
  errorSummary,
  escalationIdSchema,
  listForAdviser,
  listQuerySchema,
  resolutionNoteSchema,
  resolve,
  type ActionResult,
  type EscalationDeps,
} from '../services/escalations';
import type { Logger } from '../services/logging';

/**
 * The adviser API (DESIGN.md, "External contracts"). Routes only: each validates its input with zod
 * and calls one use-case. `Authorization: Bearer <token>` on every route (401 otherwise).
 * Another caseload's escalation answers 404, exactly like one that does not exist.
 *
 *   GET  /api/escalations                   → 200 { items: [...] }      (?status=… or ?open=true)
 *   POST /api/escalations/:id/acknowledge   → 200 { escalation }        (body: none or {})
 *   POST /api/escalations/:id/resolve       → 200 { escalation }        (body: { note })
 *   POST /api/invites                       → 201 { code, expiresAt }   (a care leaver's link to this PA)
 *   POST /api/advisers/me/link-code         → 201 { code, expiresAt, send } (link a Teams chat)
 *   GET  /api/advisers/me                   → 200 { id, team }
 */
export interface AdviserApiDeps {
  advisers: AdviserDirectory;
  escalations: EscalationDeps;
  inviteCodes: InviteCodes;
  logger?: Logger;
}

const BODY_LIMIT = 16 * 1024;
const BEARER = /^Bearer ([A-Za-z0-9._~+/=-]{1,512})$/;

const emptyBody = z.object({}).strict();
const resolveBody = z.object({ note: resolutionNoteSchema }).strict();

type Handler = (req: Request, res: Response, adviser: Adviser) => Promise<void>;

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : 'body'}: ${issue.message}`).join('; ');
}

export function mountAdviserApi(server: Server, deps: AdviserApiDeps): void {
  const callers = new WeakMap<Request, Adviser>();

  /** First on every route, before any body is read: 401 without a valid bearer token. */
  const requireAdviser: RequestHandler = (req, res, next) => {
    res.header('Cache-Control', 'no-store');
    const match = BEARER.exec(req.header('authorization') ?? '');
    const adviser = match ? deps.advisers.authenticate(match[1]!) : null;
    if (!adviser) {
      res.header('WWW-Authenticate', 'Bearer realm="tribe-advisers"');
      sendError(res, 401, 'Unauthorized', match ? 'the bearer token is not valid' : 'send Authorization: Bearer <token>');
      return next(false);
    }
    callers.set(req, adviser);
    return next();
  };

  const handle =
    (handler: Handler): RequestHandler =>
    async (req: Request, res: Response) => {
      const adviser = callers.get(req)!;
      try {
        await handler(req, res, adviser);
      } catch (error) {
        // Only the kind of error: a store error can quote the document (an excerpt, a note).
        deps.logger?.error({ err: errorSummary(error), path: req.getPath(), adviserId: adviser.id }, 'adviser API request failed');
        if (!res.headersSent) sendError(res, 500, 'InternalError', 'the request could not be completed');
      }
    };

  /** No body at all, or a JSON body parsed with the shared checks (415, 413, 400). */
  const optionalJson: RequestHandler = (req, res, next) => {
    const chunked = /chunked/i.test(String(req.header('transfer-encoding') ?? ''));
    if (!chunked && !req.contentLength()) {
      req.body = {};
      return next();
    }
    const chain = jsonBody(BODY_LIMIT);
    let index = 0;
    const step = (result?: unknown): void => {
      if (result === false) return next(false);
      if (result instanceof Error) return next(result);
      const handler = chain[index++];
      if (!handler) return next();
      handler(req, res, step as never);
    };
    step();
  };

  const idOf = (req: Request, res: Response): string | null => {
    const parsed = escalationIdSchema.safeParse(req.params?.id);
    if (!parsed.success) {
      sendError(res, 400, 'InvalidId', issues(parsed.error));
      return null;
    }
    return parsed.data;
  };

  const answer = (res: Response, result: ActionResult) => {
    if (result.ok) {
      res.json(200, { escalation: result.escalation });
    } else if (result.reason === 'already-resolved') {
      sendError(res, 409, 'AlreadyResolved', 'this escalation is already resolved');
    } else {
      sendError(res, 404, 'NotFound', 'no such escalation in your caseload');
    }
  };

  server.get(
    '/api/escalations',
    requireAdviser,
    handle(async (req, res, adviser) => {
      // No query parser is mounted: read the raw query string (a repeated key is refused).
      const raw = new URLSearchParams(typeof req.getQuery() === 'string' ? (req.getQuery() as string) : '');
      const keys = [...raw.keys()];
      if (new Set(keys).size !== keys.length) return sendError(res, 400, 'InvalidQuery', 'each query parameter may appear once');
      const query = listQuerySchema.safeParse(Object.fromEntries(raw));
      if (!query.success) return sendError(res, 400, 'InvalidQuery', issues(query.error));
      const items = await listForAdviser(deps.escalations, adviser, query.data);
      res.json(200, { items });
    }),
  );

  server.post(
    '/api/escalations/:id/acknowledge',
    requireAdviser,
    optionalJson,
    handle(async (req, res, adviser) => {
      const id = idOf(req, res);
      if (!id) return;
      const body = emptyBody.safeParse(req.body ?? {});
      if (!body.success) return sendError(res, 400, 'InvalidBody', issues(body.error));
      answer(res, await acknowledge(deps.escalations, adviser, id, 'api'));
    }),
  );

  server.post(
    '/api/escalations/:id/resolve',
    requireAdviser,
    ...jsonBody(BODY_LIMIT),
    handle(async (req, res, adviser) => {
      const id = idOf(req, res);
      if (!id) return;
      const body = resolveBody.safeParse(req.body);
      if (!body.success) return sendError(res, 400, 'InvalidBody', issues(body.error));
      answer(res, await resolve(deps.escalations, adviser, id, body.data.note));
    }),
  );

  server.post(
    '/api/invites',
    requireAdviser,
    optionalJson,
    handle(async (req, res, adviser) => {
      const body = emptyBody.safeParse(req.body ?? {});
      if (!body.success) return sendError(res, 400, 'InvalidBody', issues(body.error));
      const issued = await deps.inviteCodes.issueInviteCode(adviser.id);
      deps.logger?.info({ adviserId: adviser.id }, 'invite code issued');
      res.json(201, { code: issued.code, expiresAt: issued.expiresAt.toISOString() });
    }),
  );

  server.post(
    '/api/advisers/me/link-code',
    requireAdviser,
    optionalJson,
    handle(async (req, res, adviser) => {
      const body = emptyBody.safeParse(req.body ?? {});
      if (!body.success) return sendError(res, 400, 'InvalidBody', issues(body.error));
      const issued = await deps.inviteCodes.issueAdviserLinkCode(adviser.id);
      res.json(201, { code: issued.code, expiresAt: issued.expiresAt.toISOString(), send: `adviser link ${issued.code}` });
    }),
  );

  server.get(
    '/api/advisers/me',
    requireAdviser,
    handle(async (_req, res, adviser) => {
      res.json(200, { id: adviser.id, team: adviser.team });
    }),
  );
}
