import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../services/config';
import type { Logger } from '../services/logging';

/**
 * The Bot Framework adapter. With no `MicrosoftAppId` it accepts unauthenticated requests
 * (local development and the built-in Direct Line); with one, every request's JWT is validated.
 */
export function createAdapter(config: Config, logger: Logger, apologise: (context: TurnContext) => Promise<void>): CloudAdapter {
  const settings = {
    MicrosoftAppId: config.MicrosoftAppId ?? '',
    MicrosoftAppPassword: config.MicrosoftAppPassword ?? '',
    MicrosoftAppType: config.MicrosoftAppType,
    MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? '',
  };
  const credentials = new ConfigurationServiceClientCredentialFactory(settings);
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication(settings, credentials));

  adapter.onTurnError = async (context, error) => {
    logger.error(
      { err: { name: error.name, message: error.message, stack: error.stack }, activityId: context.activity.id, channelId: context.activity.channelId },
      'turn failed',
    );
    try {
      await apologise(context);
    } catch (sendError) {
      logger.error({ err: sendError }, 'could not send the apology after a failed turn');
    }
  };
  return adapter;
}
