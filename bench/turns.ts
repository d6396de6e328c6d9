import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import autocannon from 'autocannon';

/**
 * Turn throughput and latency through POST /api/messages with expectReplies, 20 connections,
 * Tribe against a bare WaterfallDialog baseline measured in the same run (rounds alternate,
 * because this machine is shared and noisy). Prints the tribe/baseline throughput ratio.
 */
const CONNECTIONS = 20;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

function startServer(which: 'tribe' | 'baseline'): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [join(__dirname, 'turn-servers.js'), which], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${which} server exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /port=(\d+)/.exec(chunk.toString());
      if (match) resolve({ child, port: Number(match[1]) });
    });
  });
}

/**
 * Each connection plays one care leaver's session again and again, a new conversation each time:
 * onboarding (six answers), the menu, a question, the checklist and a check-in.
 */
const SESSION = ['hi', 'yes', 'Sam', '19', 'Leeds', '1', '2', 'menu', 'how much is the setting up home allowance', 'my entitlements', 'menu', 'check in'];

interface SessionContext {
  conversation?: string;
  step?: number;
}

let conversations = 0;

function activityBody(context: SessionContext): string {
  const step = context.step ?? 0;
  if (step === 0) context.conversation = `bench-${process.pid}-${(conversations += 1)}`;
  context.step = (step + 1) % SESSION.length;
  return JSON.stringify({
    type: 'message',
    channelId: 'bench',
    serviceUrl: 'http://127.0.0.1:1',
    deliveryMode: 'expectReplies',
    from: { id: `user-${context.conversation}` },
    recipient: { id: 'tribe' },
    conversation: { id: context.conversation },
    text: SESSION[step],
  });
}

async function load(port: number): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}/api/messages`,
    connections: CONNECTIONS,
    duration: SECONDS,
    initialContext: {},
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        setupRequest: (request, context) => ({ ...request, body: activityBody(context as SessionContext) }),
      },
    ],
  });
}

async function main(): Promise<void> {
  const servers = { tribe: await startServer('tribe'), baseline: await startServer('baseline') };
  const totals = { tribe: [] as autocannon.Result[], baseline: [] as autocannon.Result[] };
  try {
    for (const which of ['baseline', 'tribe'] as const) await load(servers[which].port); // warm-up
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const which of ['baseline', 'tribe'] as const) {
        const result = await load(servers[which].port);
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${which}: ${result.non2xx} non-2xx, ${result.errors} errors`);
        totals[which].push(result);
      }
    }
  } finally {
    servers.tribe.child.kill();
    servers.baseline.child.kill();
  }
  const summary = (results: autocannon.Result[]) => ({
    rps: results.reduce((sum, r) => sum + r.requests.average, 0) / results.length,
    p50: Math.max(...results.map((r) => r.latency.p50)),
    p99: Math.max(...results.map((r) => r.latency.p99)),
  });
  const tribe = summary(totals.tribe);
  const baseline = summary(totals.baseline);
  const line = (name: string, s: ReturnType<typeof summary>) =>
    `${name.padEnd(9)} ${s.rps.toFixed(0).padStart(7)} turns/s   p50 ${s.p50} ms   p99 ${s.p99} ms`;
  process.stdout.write(
    `bench/turns: ${CONNECTIONS} connections, each replaying a ${SESSION.length}-turn session; ${ROUNDS} x ${SECONDS}s rounds each, expectReplies\n`,
  );
  process.stdout.write(`${line('baseline', baseline)}\n${line('tribe', tribe)}\n`);
  process.stdout.write(`tribe/baseline throughput ratio: ${(tribe.rps / baseline.rps).toFixed(2)} (goal >= 0.70)\n`);
}

main().catch((error) => {
  process.stderr.write(`bench/turns failed: ${(error as Error).message}\n`);
  process.exit(1);
});
