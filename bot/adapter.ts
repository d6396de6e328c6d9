import {
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../services/config';
import type { Logger } from '../services/logging';
import { errorSummary, stackFrames } from '../services/error-summary';
import { HttpCloudAdapter } from './http-cloud-adapter';
import { ReusedClientsAuthentication } from './reused-clients';

/**
 * The Bot Framework adapter. With no `MicrosoftAppId` it accepts unauthenticated requests
 * (local development and the built-in Direct Line); with one, every request's JWT is validated.
 */
export function createAdapter(config: Config, logger: Logger, apologise: (context: TurnContext) => Promise<void>): HttpCloudAdapter {
  const settings = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  const authentication = new ConfigurationBotFrameworkAuthentication(settings, credentials);
  // Connector clients are reused across turns (reused-clients.ts).
  const adapter = new HttpCloudAdapter(new ReusedClientsAuthentication(authentication));

  adapter.onTurnError = async (context, error) => {
    logger.error(
      // Never the error's message: it can quote the message or a stored document (DESIGN.md rule 4).
      { error: errorSummary(error), frames: stackFrames(error), activityId: context.activity.id, channelId: context.activity.channelId },
      'turn failed',
    );
    try {
      await apologise(context);
    } catch (sendError) {
      logger.error({ error: errorSummary(sendError) }, 'could not send the apology after a failed turn');
    }
  };
  return adapter;
}
