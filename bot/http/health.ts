import type { Server } from 'restify';
import type { DocumentStore } from '../../services/store/port';

const READY_TIMEOUT_MS = 2000;

export function mountHealth(server: Server, store: DocumentStore): void {
  server.get('/healthz', (_req, res, next) => {
    res.json(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', async (_req, res) => {
    try {
      await Promise.race([
        store.ping(),
        new Promise((_, reject) => setTimeout(() => reject(new Error('store did not answer in time')), READY_TIMEOUT_MS).unref()),
      ]);
      res.json(200, { status: 'ready', store: store.kind });
    } catch {
      res.json(503, { status: 'unavailable', store: store.kind });
    }
  });
}
