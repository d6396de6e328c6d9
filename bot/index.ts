import { ConfigError, loadConfig } from '../services/config';
import { createApp } from './app';

/** `npm start`: validate configuration, open the store, serve, and stop cleanly on SIGTERM. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const app = await createApp(config);
  await app.listen();
  // the sentence encoder loads on first use: load it now, not inside a young person's turn
  app.warmUp().then(
    () => app.logger.info('safety: the sentence reading is ready'),
    (error: unknown) => app.logger.warn({ err: error }, 'safety: the sentence reading could not be warmed up; it will be tried on first use'),
  );

  const stop = (signal: string) => {
    app.logger.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (error) => {
        app.logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((error) => {
  process.stderr.write(`Tribe failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
