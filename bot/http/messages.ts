import type { TurnContext } from 'botbuilder';
import { AuthenticationError } from 'botframework-connector';
import type { Server } from 'restify';
import type { Logger } from '../../services/logging';
import { describeActivityProblems } from './activity-request';
import { sendError } from './errors';
import { jsonBody } from './json-body';
import { errorSummary, stackFrames } from '../../services/error-summary';
import type { HttpCloudAdapter } from '../http-cloud-adapter';

/** `POST /api/messages`: Bot Framework activities, including `deliveryMode: "expectReplies"`. */
export function mountMessages(
  server: Server,
  adapter: HttpCloudAdapter,
  runTurn: (context: TurnContext) => Promise<void>,
  options: { maxBodySize: number; logger: Logger },
): void {
  server.post('/api/messages', ...jsonBody(options.maxBodySize), async (req, res) => {
    const problems = describeActivityProblems(req.body);
    if (problems) {
      sendError(res, 400, 'InvalidActivity', problems);
      return;
    }
    try {
      await adapter.processChecked(req, res, runTurn);
    } catch (error) {
      if (error instanceof AuthenticationError) {
        // The reason stays in the log, never in the answer: it would only help whoever is probing.
        options.logger.warn({ error: errorSummary(error), status: error.statusCode }, 'refused an activity that was not authenticated');
        if (!res.headersSent) sendError(res, 401, 'Unauthorized', 'this request is not authorised for this bot');
        return;
      }
      options.logger.error({ error: errorSummary(error), frames: stackFrames(error) }, 'could not process an activity');
      if (!res.headersSent) sendError(res, 500, 'InternalError', 'the activity could not be processed');
    }
  });
}
