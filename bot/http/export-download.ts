import type { Server } from 'restify';
import type { DataExport } from '../../services/privacy/privacy-service';
import { sendError } from './errors';

/**
 * `GET /api/exports/:token`: the one-time download of a young person's export, for channels that
 * cannot take a file (and Teams when the upload fails). The token is single use and short-lived;
 * a used, expired, unknown or malformed one gets the same plain 404, with no detail. The token is
 * never logged and the response is never cached.
 */
export const EXPORT_DOWNLOAD_PATH = '/api/exports';

/** The link the young person is sent, under a public base address (no trailing slash). */
export function exportDownloadUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${EXPORT_DOWNLOAD_PATH}/${encodeURIComponent(token)}`;
}

export interface ExportDownloadDeps {
  /** Uses the token once; null when it cannot be used (the privacy service's `redeemExport`). */
  redeem(token: string): Promise<DataExport | null>;
  /** The moderated words of the 404 page. */
  goneMessage(): string;
  /** Errors are logged without the token or any data. */
  logger: { error(fields: object, message: string): void };
}

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

export function mountExportDownload(server: Server, deps: ExportDownloadDeps): void {
  // Anything longer under the path gets the same answer here, so no token ends up in a rejection log.
  server.get(`${EXPORT_DOWNLOAD_PATH}/*`, (_req, res, next) => {
    res.writeHead(404, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' });
    res.end(deps.goneMessage());
    return next();
  });
  server.get(`${EXPORT_DOWNLOAD_PATH}/:token`, async (req, res) => {
    const token = typeof req.params?.token === 'string' ? req.params.token : '';
    let data: DataExport | null;
    try {
      data = await deps.redeem(token);
    } catch (error) {
      deps.logger.error({ err: error instanceof Error ? error.name : 'unknown' }, 'export download failed');
      for (const [name, value] of Object.entries(NO_STORE)) res.header(name, value);
      sendError(res, 503, 'Unavailable', 'the export could not be made; try again shortly');
      return;
    }
    if (!data) {
      res.writeHead(404, { ...NO_STORE, 'content-type': 'text/plain; charset=utf-8' });
      res.end(deps.goneMessage());
      return;
    }
    const body = JSON.stringify(data, null, 2);
    res.writeHead(200, {
      ...NO_STORE,
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="tribe-my-data-${data.exportedAt.slice(0, 10)}.json"`,
      'content-length': Buffer.byteLength(body, 'utf8'),
    });
    res.end(body);
  });
}
