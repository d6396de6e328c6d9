import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';

/** FerretDB v1.24.2 (SQLite backend) on loopback: the MongoDB wire-protocol server for the contract tests. */

export const testMongoUriVariable = 'TRIBE_TEST_MONGODB_URI';

const repoRoot = path.resolve(__dirname, '..', '..');
const readyTimeoutMs = 15_000;
const startAttempts = 3;

export interface RunningFerretDb {
  readonly uri: string;
  stop(): Promise<void>;
}

/** The binary to run: FERRETDB_BIN, else .tools/bin/ferretdb, built by scripts/build-ferretdb.sh when absent. */
export function ensureFerretDbBinary(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.FERRETDB_BIN?.trim();
  if (fromEnv) {
    try {
      accessSync(fromEnv, constants.X_OK);
    } catch {
      throw new Error(`FERRETDB_BIN=${fromEnv} is not an executable file`);
    }
    return fromEnv;
  }
  const binary = path.join(repoRoot, '.tools', 'bin', 'ferretdb');
  if (!existsSync(binary)) {
    const script = path.join(repoRoot, 'scripts', 'build-ferretdb.sh');
    process.stderr.write(`\nFerretDB is not built yet: running ${script} (1 to 3 minutes, once)\n`);
    const build = spawnSync('bash', [script, binary], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (build.status !== 0 || !existsSync(binary)) {
      throw new Error(
        `Could not build FerretDB with ${script} (exit ${build.status ?? build.signal}). ` +
          'Install Go >= 1.24 and run it by hand, set FERRETDB_BIN to a ferretdb v1.24.2 binary, ' +
          'or set MONGODB_URI to a MongoDB server for the tests.',
      );
    }
  }
  return binary;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function answers(uri: string): Promise<boolean> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 500, connectTimeoutMS: 500 });
  try {
    await client.db('admin').command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => undefined);
  }
}

function exited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await gone;
  clearTimeout(timer);
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}

async function startOnce(binary: string, dir: string, attempt: number): Promise<RunningFerretDb> {
  const port = await freePort();
  const logFile = path.join(dir, `ferretdb-${attempt}.log`);
  const log = openSync(logFile, 'a');
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dir}/`,
      `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dir}`,
      '--debug-addr=-', // no metrics/debug HTTP listener
      '--telemetry=disable',
      '--log-level=ERROR',
    ],
    { stdio: ['ignore', log, log] },
  );
  const uri = `mongodb://127.0.0.1:${port}/`;
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline && !exited(child)) {
    if (await answers(uri)) return { uri, stop: () => stopProcess(child) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const problem = exited(child)
    ? `exited (${child.exitCode ?? child.signalCode}) before answering on ${uri}`
    : `did not answer on ${uri} within ${readyTimeoutMs} ms`;
  await stopProcess(child);
  throw new Error(`FerretDB (${binary}) ${problem}. Its log:\n${logTail(logFile)}`);
}

/** Starts FerretDB on a free loopback port with its data in a fresh temp directory. */
export async function startFerretDb(binary: string): Promise<RunningFerretDb> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tribe-ferretdb-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  let lastError: unknown;
  // Another process can take the free port between our probe and FerretDB binding it: try again.
  for (let attempt = 1; attempt <= startAttempts; attempt += 1) {
    try {
      const running = await startOnce(binary, dir, attempt);
      return {
        uri: running.uri,
        async stop() {
          await running.stop();
          removeDir();
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  removeDir();
  throw lastError;
}

/** The MongoDB URI the global set-up exported for this test run. */
export function testMongoUri(): string {
  const uri = process.env[testMongoUriVariable];
  if (!uri) throw new Error(`${testMongoUriVariable} is not set: the jest global set-up did not run`);
  return uri;
}

// Global set-up and teardown run in the same process but may not share module instances.
const runningKey = Symbol.for('tribe.test.ferretdb');
type Holder = { [runningKey]?: RunningFerretDb };

export function keepRunningFerretDb(ferretdb: RunningFerretDb): void {
  (globalThis as Holder)[runningKey] = ferretdb;
}

export function takeRunningFerretDb(): RunningFerretDb | undefined {
  const ferretdb = (globalThis as Holder)[runningKey];
  delete (globalThis as Holder)[runningKey];
  return ferretdb;
}
