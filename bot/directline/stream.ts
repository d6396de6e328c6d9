import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../services/logging';
import type { ActivityListener, Conversation, ConversationRegistry } from './conversations';
import type { TokenService } from './tokens';

const STREAM_PATH = /^\/v3\/directline\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/;

/** The `streamUrl` for a conversation: same host the client called, a fresh single-use stream token. */
export function streamUrlFor(base: { secure: boolean; host: string }, conversationId: string, streamToken: string, watermark?: number): string {
  const query = new URLSearchParams({ t: streamToken });
  if (watermark !== undefined) query.set('watermark', String(watermark));
  return `${base.secure ? 'wss' : 'ws'}://${base.host}/v3/directline/conversations/${conversationId}/stream?${query}`;
}

export interface StreamOptions {
  heartbeatMs: number;
  logger: Logger;
}

/**
 * The Direct Line WebSocket stream: each open socket receives `{ activities, watermark }` sets for
 * its conversation, starting with what it missed since the watermark in its URL. The stream is
 * receive-only; Direct Line JS sends empty strings as keep-alives, which are ignored. Sockets
 * that stop answering pings are dropped.
 */
export class ActivityStream {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  private readonly alive = new Map<WebSocket, boolean>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head);

  constructor(
    private readonly httpServer: HttpServer,
    private readonly tokens: TokenService,
    private readonly registry: ConversationRegistry,
    private readonly options: StreamOptions,
  ) {
    httpServer.on('upgrade', this.onUpgrade);
    this.heartbeat = setInterval(() => this.beat(), options.heartbeatMs);
    this.heartbeat.unref();
  }

  get openSockets(): number {
    return this.alive.size;
  }

  /** Closes every socket (1001 "going away"), terminating those that do not finish within a second. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat);
    this.httpServer.off('upgrade', this.onUpgrade);
    const sockets = [...this.alive.keys()];
    await Promise.race([
      Promise.all(
        sockets.map(
          (ws) =>
            new Promise<void>((resolve) => {
              if (ws.readyState === WebSocket.CLOSED) return resolve();
              ws.once('close', () => resolve());
              ws.close(1001, 'server shutting down');
            }),
        ),
      ),
      new Promise<void>((resolve) => setTimeout(resolve, 1000).unref()),
    ]);
    sockets.forEach((ws) => ws.terminate());
    this.alive.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    // A request target such as `//[` is not a URL: `new URL` throws, and a throw in an 'upgrade'
    // listener would be an uncaught exception that ends the process (rule 5).
    let url: URL | null = null;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      url = null;
    }
    const match = url ? STREAM_PATH.exec(url.pathname) : null;
    if (!url || !match) {
      // Another part of the app may handle this upgrade; if none does, refuse it rather than hang.
      if (this.httpServer.listenerCount('upgrade') === 1) refuse(socket, 404, 'NotFound', 'no WebSocket endpoint here');
      return;
    }
    const conversationId = match[1];
    const streamToken = url.searchParams.get('t');
    const granted = streamToken ? this.tokens.consumeStreamToken(streamToken) : null;
    if (!granted) {
      refuse(socket, 403, 'InvalidStreamToken', 'the stream token is missing, used or expired; GET the conversation again for a fresh streamUrl');
      return;
    }
    if (granted !== conversationId) {
      refuse(socket, 403, 'TokenNotForConversation', 'this stream token belongs to another conversation');
      return;
    }
    const conversation = this.registry.get(conversationId);
    if (!conversation) {
      refuse(socket, 404, 'ConversationNotFound', 'no such conversation here');
      return;
    }
    const rawWatermark = url.searchParams.get('watermark');
    const watermark = rawWatermark && /^\d{1,15}$/.test(rawWatermark) ? Number(rawWatermark) : undefined;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.serve(ws, conversation, watermark));
  }

  private serve(ws: WebSocket, conversation: Conversation, watermark: number | undefined): void {
    this.alive.set(ws, true);
    const listener: ActivityListener = {
      send: (set) => {
        if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(set));
      },
      end: (code, reason) => ws.close(code, reason),
    };
    const backlog = conversation.since(watermark);
    if (backlog.activities.length > 0) listener.send(backlog);
    const unsubscribe = conversation.subscribe(listener);

    ws.on('pong', () => this.alive.set(ws, true));
    ws.on('message', () => this.alive.set(ws, true));
    ws.on('error', (error) => {
      this.options.logger.debug({ err: { name: error.name }, conversationId: conversation.id }, 'direct line stream error');
      ws.terminate();
    });
    ws.on('close', () => {
      unsubscribe();
      this.alive.delete(ws);
    });
  }

  private beat(): void {
    for (const [ws, alive] of this.alive) {
      if (!alive) {
        ws.terminate();
        continue;
      }
      this.alive.set(ws, false);
      ws.ping();
    }
  }
}

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  const reason = status === 403 ? 'Forbidden' : 'Not Found';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}
