import type { CloudAdapter, TurnContext } from 'botbuilder';
import type { Server } from 'restify';
import type { Logger } from '../../services/logging';
import { describeActivityProblems } from './activity-request';
import { sendError } from './errors';
import { jsonBody } from './json-body';
import { errorSummary, stackFrames } from '../../services/error-summary';

/** `POST /api/messages`: Bot Framework activities, including `deliveryMode: "expectReplies"`. */
export function mountMessages(
  server: Server,
  adapter: CloudAdapter,
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
      await adapter.process(req, res, runTurn);
    } catch (error) {
      options.logger.error({ error: errorSummary(error), frames: stackFrames(error) }, 'could not process an activity');
      if (!res.headersSent) sendError(res, 500, 'InternalError', 'the activity could not be processed');
    }
  });
}
