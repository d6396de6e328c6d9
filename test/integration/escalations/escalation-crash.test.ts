import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectRoot } from '../../../services/project-root';
import { activity, adviserApi, CRISIS_NUMBERS, DEV_TOKEN, turnReplies } from '../../support/safeguarding';

/**
 * The escalation is persisted before the reply is sent: kill -9 the real service right after the
 * crisis reply, start it again on the same DATA_DIR, and the escalation is listed.
 */
const entry = join(projectRoot, 'dist', 'bot', 'index.js');

function build(): void {
  // tsc still emits when another engineer's file has a type error; we only need dist/ to run.
  spawnSync(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(projectRoot, 'tsconfig.build.json')], {
    cwd: projectRoot,
    stdio: 'ignore',
    timeout: 240_000,
  });
  if (!existsSync(entry)) throw new Error(`the build did not produce ${entry}`);
}

async function start(dataDir: string): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = spawn(process.execPath, [entry], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, NODE_ENV: 'test', LOG_LEVEL: 'info', DEV_ADVISER_TOKEN: DEV_TOKEN },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += String(chunk)));
  const port = await new Promise<number>((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error(`the service did not say it was listening. stderr: ${stderr}`)), 30_000);
    child.stdout!.on('data', (chunk) => {
      buffered += String(chunk);
      for (const line of buffered.split('\n')) {
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'Tribe is listening' && entry.port) {
            clearTimeout(timer);
            resolve(entry.port);
          }
        } catch {
          // not a whole JSON line yet
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited (${code}) before listening. stderr: ${stderr}`));
    });
  });
  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

function kill9(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

describe('escalation durability', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tribe-esc-crash-'));
  let running: ChildProcess | undefined;

  beforeAll(() => build(), 300_000);
  afterAll(async () => {
    if (running) await kill9(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('survives kill -9 right after the crisis reply', async () => {
    const first = await start(dataDir);
    running = first.child;
    const replies = await turnReplies(first.baseUrl, activity('crash-crisis', { text: 'I want to kill myself tonight' }));
    await kill9(first.child);
    const said = replies.map((reply) => reply.text ?? '').join('\n');
    for (const number of CRISIS_NUMBERS) expect(said).toContain(number);

    const second = await start(dataDir);
    running = second.child;
    const listed = await adviserApi(second.baseUrl, DEV_TOKEN).list();
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([expect.objectContaining({ severity: 'urgent', category: 'suicide_self_harm', status: expect.stringMatching(/raised|notified/) })]);
    await kill9(second.child);
    running = undefined;
  }, 120_000);
});
