import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Next, Request, Response, Server } from 'restify';

const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** `GET /console/`: the adviser console page (static; it calls the adviser API with the adviser's token). */
export function mountConsole(server: Server): void {
  const dir = [__dirname, resolve(__dirname, '..', '..', 'console')].find((candidate) => existsSync(join(candidate, 'index.html')));
  if (!dir) throw new Error('the adviser console (console/index.html) was not found');
  const files: Record<string, { body: Buffer; type: string }> = {
    'index.html': { body: readFileSync(join(dir, 'index.html')), type: 'text/html; charset=utf-8' },
    'console.js': { body: readFileSync(join(dir, 'console.js')), type: 'text/javascript; charset=utf-8' },
    'console.css': { body: readFileSync(join(dir, 'console.css')), type: 'text/css; charset=utf-8' },
  };
  const serve = (name: string) => (_req: Request, res: Response, next: Next) => {
    const file = files[name]!;
    res.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': String(file.body.length),
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(file.body);
    return next();
  };
  server.get('/console', (_req: Request, res: Response, next: Next) => {
    res.redirect(301, '/console/', next);
  });
  server.get('/console/', serve('index.html'));
  server.get('/console/console.js', serve('console.js'));
  server.get('/console/console.css', serve('console.css'));
}
