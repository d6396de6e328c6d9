import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Next, Request, Response, Server } from 'restify';
import { projectRoot } from '../../services/project-root';

const gzipAsync = promisify(gzip);

/** Scripts only from this origin; Web Chat injects its styles, and talks to `/v3/directline` over HTTP and WebSocket. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

interface Asset {
  body: Buffer;
  gzipped?: Promise<Buffer>;
  etag: string;
  contentType: string;
  cacheControl: string;
}

/**
 * `GET /`: the Web Chat page, served offline. Its files live beside this module in the source
 * tree (`bot/webchat/`); Web Chat's prebuilt bundle comes from `botframework-webchat/dist`.
 * Everything is read once, at start-up, so a missing file fails loudly then.
 */
export function mountWebChat(server: Server): void {
  const pageDir = findPageDir();
  const page = asset(readFileSync(join(pageDir, 'index.html')), 'text/html; charset=utf-8', 'no-cache');
  const files: Record<string, Asset> = {
    'tribe-chat.js': asset(readFileSync(join(pageDir, 'tribe-chat.js')), 'text/javascript; charset=utf-8', 'no-cache'),
    'tribe-chat.css': asset(readFileSync(join(pageDir, 'tribe-chat.css')), 'text/css; charset=utf-8', 'no-cache'),
    // A day, revalidated by ETag; the bundle changes only when the package is upgraded.
    'webchat.js': asset(readFileSync(webChatBundlePath()), 'text/javascript; charset=utf-8', 'public, max-age=86400'),
  };

  server.get('/', (req: Request, res: Response, next: Next) => {
    send(req, res, page, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY, 'X-Frame-Options': 'DENY' }).then(() => next(), next);
  });
  server.get('/webchat/:file', (req: Request, res: Response, next: Next) => {
    const file = Object.prototype.hasOwnProperty.call(files, req.params.file) ? files[req.params.file] : undefined;
    if (!file) {
      res.json(404, { error: { code: 'NotFound', message: 'no such Web Chat file' } });
      return next(false);
    }
    send(req, res, file).then(() => next(), next);
  });
}

/** Web Chat's prebuilt browser bundle. `dist/webchat.js` is not in the package's exports, so it is read by path. */
export function webChatBundlePath(): string {
  let dir = dirname(require.resolve('botframework-webchat'));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'botframework-webchat') {
      return join(dir, 'dist', 'webchat.js');
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('botframework-webchat is not installed: its package.json was not found');
    dir = parent;
  }
}

/** The page lives in the source tree (`bot/webchat`), which compiled code in dist/ reads too. */
function findPageDir(): string {
  const dir = join(projectRoot, 'bot', 'webchat');
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`the Web Chat page (index.html) was not found in ${dir}`);
  return dir;
}

function asset(body: Buffer, contentType: string, cacheControl: string): Asset {
  return { body, contentType, cacheControl, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

async function send(req: Request, res: Response, file: Asset, extraHeaders: Record<string, string> = {}): Promise<void> {
  const headers: Record<string, string> = {
    'Content-Type': file.contentType,
    'Cache-Control': file.cacheControl,
    ETag: file.etag,
    Vary: 'Accept-Encoding',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    ...extraHeaders,
  };
  const ifNoneMatch = req.header('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === file.etag)) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  let body = file.body;
  if (file.body.length > 1024 && /\bgzip\b/.test(req.header('accept-encoding') ?? '')) {
    file.gzipped ??= gzipAsync(file.body);
    body = await file.gzipped;
    headers['Content-Encoding'] = 'gzip';
  }
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(body);
}
