import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { ConversationRegistry } from '../../../bot/directline/conversations';
import { ActivityStream } from '../../../bot/directline/stream';
import { TokenService } from '../../../bot/directline/tokens';
import { createLogger } from '../../../services/logging';

/** Rule 5: a malformed WebSocket upgrade request gets an error answer and never crashes the process. */
describe('Direct Line stream upgrade with a malformed request target', () => {
  let server: Server;
  let stream: ActivityStream;
  const uncaught: unknown[] = [];
  const onUncaught = (error: unknown) => uncaught.push(error);

  beforeAll(async () => {
    process.prependListener('uncaughtException', onUncaught);
    server = createServer((_req, res) => res.end());
    const tokens = new TokenService({ tokenTtlMs: 60_000, streamTokenTtlMs: 60_000, maxTokensPerConversation: 4 });
    const registry = new ConversationRegistry({ maxConversations: 10, maxActivities: 10, maxBytes: 10_000, maxListeners: 2, idleMs: 60_000, onEvict: () => undefined });
    stream = new ActivityStream(server, tokens, registry, { heartbeatMs: 60_000, logger: createLogger('silent') });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    process.removeListener('uncaughtException', onUncaught);
    await stream.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('answers 404 to `GET //[` with Upgrade: websocket', async () => {
    const { port } = server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.write('GET //[ HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n');
      });
      let data = '';
      socket.on('data', (chunk) => (data += chunk.toString()));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      setTimeout(() => {
        socket.destroy();
        resolve(data);
      }, 10_000).unref();
    });
    expect(uncaught).toEqual([]);
    expect(answer).toMatch(/^HTTP\/1\.1 404/);
  });
});
