import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';

/**
 * Turn throughput and latency through POST /api/messages with expectReplies, 20 connections,
 * Tribe against a bare WaterfallDialog baseline measured in the same run (rounds alternate,
 * because this machine is shared and noisy). Prints the tribe/baseline throughput ratio, and the
 * CPU time each server spent per turn (all its threads: GC included), which other jobs on the
 * machine disturb far less than throughput.
 */
const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

type Which = 'tribe' | 'baseline';

interface Server {
  child: ChildProcess;
  port: number;
}

function startServer(which: Which, dataDir?: string): Promise<Server> {
  const args = [join(__dirname, 'turn-servers.js'), which, ...(dataDir ? [dataDir] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${which} server exited with ${code}`)));
    child.once('error', reject);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /port=(\d+)/.exec(chunk.toString());
      if (match) resolve({ child, port: Number(match[1]) });
    });
  });
}

/** The server's CPU time so far, in microseconds (user and system, every thread). */
function cpuOf(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not report its CPU time')), 5_000);
    server.child.once('message', (message: { cpu?: NodeJS.CpuUsage }) => {
      clearTimeout(timer);
      if (!message.cpu) reject(new Error('unexpected message from the server'));
      else resolve(message.cpu.user + message.cpu.system);
    });
    server.child.send('cpu');
  });
}

/**
 * Each connection plays one care leaver's session again and again, a new conversation each time:
 * onboarding (six answers), the menu, a question, the checklist and a check-in.
 */
const SESSION = ['hi', 'yes', 'Sam', '19', 'Leeds', '1', '2', 'menu', 'how much is the setting up home allowance', 'my entitlements', 'menu', 'check in'];

interface SessionContext {
  conversation?: string;
}

let conversations = 0;

function activity(conversation: string, text: string): string {
  return JSON.stringify({
    type: 'message',
    channelId: 'bench',
    serviceUrl: 'http://127.0.0.1:1',
    deliveryMode: 'expectReplies',
    from: { id: `user-${conversation}` },
    recipient: { id: 'tribe' },
    conversation: { id: conversation },
    text,
  });
}

/**
 * One request per turn of the session. autocannon starts each connection's context afresh when it
 * loops back to the first request, so the first turn opens a new conversation and the others
 * carry it on. (With a single request, the context would be reset before every request, and every
 * turn would be a first "hi".)
 */
const requests: autocannon.Request[] = SESSION.map((text, step) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  setupRequest: (request, context) => {
    const session = context as SessionContext;
    if (step === 0 || !session.conversation) session.conversation = `bench-${process.pid}-${(conversations += 1)}`;
    return { ...request, body: activity(session.conversation, text) };
  },
}));

async function load(port: number): Promise<autocannon.Result> {
  return autocannon({ url: `http://127.0.0.1:${port}/api/messages`, connections: CONNECTIONS, duration: SECONDS, initialContext: {}, requests });
}

/** The texts a server replies to one turn. */
async function replyTexts(port: number, conversation: string, text: string): Promise<string[]> {
  const response = await fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: activity(conversation, text),
  });
  if (!response.ok) throw new Error(`status ${response.status}`);
  const body = (await response.json()) as { activities?: Array<{ text?: string }> };
  return (body.activities ?? []).map((reply) => reply.text ?? '');
}

/**
 * Plays the session once and checks that Tribe follows it (every turn answered, and the journey
 * moves on rather than starting again), so the load below measures the session it claims to.
 */
async function checkSession(port: number): Promise<void> {
  const conversation = `bench-check-${process.pid}`;
  const replies: string[][] = [];
  for (const text of SESSION) replies.push(await replyTexts(port, conversation, text));
  const silent = SESSION.filter((_, step) => replies[step]!.length === 0);
  if (silent.length > 0) throw new Error(`tribe did not answer: ${silent.join(', ')}`);
  const first = JSON.stringify(replies[0]);
  if (replies.slice(1).some((reply) => JSON.stringify(reply) === first)) throw new Error('tribe started the session again part-way');
}

/** Stops a server and waits until it has gone (so its data directory can be removed). */
function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
  server.child.kill();
  return exited;
}

async function main(): Promise<void> {
  // Tribe's embedded store, removed when the run ends.
  const dataDir = mkdtempSync(join(tmpdir(), 'tribe-bench-'));
  const started: Server[] = [];
  const totals = { tribe: [] as autocannon.Result[], baseline: [] as autocannon.Result[] };
  const cpu = { tribe: { micros: 0, turns: 0 }, baseline: { micros: 0, turns: 0 } };
  try {
    const servers = { tribe: await startServer('tribe', dataDir), baseline: await startServer('baseline') };
    started.push(servers.tribe, servers.baseline);
    await checkSession(servers.tribe.port);
    for (const which of ['baseline', 'tribe'] as const) await load(servers[which].port); // warm-up
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const which of ['baseline', 'tribe'] as const) {
        const before = await cpuOf(servers[which]);
        const result = await load(servers[which].port);
        cpu[which].micros += (await cpuOf(servers[which])) - before;
        cpu[which].turns += result.requests.total;
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${which}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        totals[which].push(result);
      }
    }
  } finally {
    await Promise.all(started.map(stop));
    rmSync(dataDir, { recursive: true, force: true });
  }
  const summary = (results: autocannon.Result[], which: Which) => ({
    rps: results.reduce((sum, r) => sum + r.requests.average, 0) / results.length,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
    cpuMs: cpu[which].micros / 1000 / cpu[which].turns,
  });
  const tribe = summary(totals.tribe, 'tribe');
  const baseline = summary(totals.baseline, 'baseline');
  const line = (name: string, s: ReturnType<typeof summary>) =>
    `${name.padEnd(9)} ${s.rps.toFixed(0).padStart(7)} turns/s   p50 ${s.p50} ms   p99 ${s.p99} ms   CPU ${s.cpuMs.toFixed(2)} ms/turn`;
  process.stdout.write(
    `bench/turns: ${CONNECTIONS} connections, each replaying a ${SESSION.length}-turn session; ${ROUNDS} x ${SECONDS}s rounds each, expectReplies\n`,
  );
  process.stdout.write(`${line('baseline', baseline)}\n${line('tribe', tribe)}\n`);
  process.stdout.write(`baseline/tribe CPU per turn: ${(baseline.cpuMs / tribe.cpuMs).toFixed(2)}\n`);
  process.stdout.write(`tribe/baseline throughput ratio: ${(tribe.rps / baseline.rps).toFixed(2)} (goal >= 0.70)\n`);
}

main().catch((error) => {
  process.stderr.write(`bench/turns failed: ${(error as Error).message}\n`);
  process.exit(1);
});
