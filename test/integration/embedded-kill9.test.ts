import { spawn } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createLogger, type Logger } from '../../services/logging';
import { DataDirInUseError } from '../../services/store/data-dir-lock';
import { openEmbeddedStore } from '../../services/store/embedded';
import { DuplicateKeyError, type Document } from '../../services/store/port';
import { silentLogger } from '../support/stores-under-test';

/** The embedded store's durability: kill -9, torn and corrupt datafiles, the directory lock, compaction. */

const writerScript = path.join(__dirname, '..', 'support', 'kill9-writer.js');

function capturingLogger(): { logger: Logger; records: Array<Record<string, unknown>> } {
  const records: Array<Record<string, unknown>> = [];
  const logger = createLogger('warn', { write: (line: string) => records.push(JSON.parse(line)) });
  return { logger, records };
}

interface WriterRun {
  acked: string[];
  exitSignal: NodeJS.Signals | null;
}

/** Runs the writer child until it has acknowledged `ackTarget` writes, then SIGKILLs it. */
function runWriterAndKill(dataDir: string, firstIndex: number, ackTarget: number): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, dataDir, String(firstIndex)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acked: string[] = [];
    let pending = '';
    let stderr = '';
    const giveUp = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.startsWith('ack ')) acked.push(line.slice(4));
      if (acked.length >= ackTarget) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(giveUp);
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (code ${code}): ${stderr}`));
      else resolve({ acked, exitSignal: signal });
    });
  });
}

describe('embedded store durability', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'tribe-durability-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged write across repeated kill -9, then opens and accepts writes', async () => {
    const allAcked: string[] = [];
    // Different kill points each round; the lock and datafiles left by each killed child are reused.
    for (const [round, ackTarget] of [120, 277, 41].entries()) {
      const run = await runWriterAndKill(dir, round * 100_000, ackTarget);
      expect(run.exitSignal).toBe('SIGKILL');
      allAcked.push(...run.acked);
    }
    expect(allAcked.length).toBeGreaterThanOrEqual(120 + 277 + 41);

    const { logger } = capturingLogger();
    const store = await openEmbeddedStore(dir, logger);
    const writes = store.collection<Document & { i: number }>('writes');
    const stored = new Set((await writes.find({})).map((doc) => doc._id));
    const missing = allAcked.filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
    // At most one unacknowledged insert per killed child may also have landed.
    expect(stored.size).toBeLessThanOrEqual(allAcked.length + 3);

    const counter = await store.collection('counters').findOne({ _id: 'acks' });
    expect(counter?.n).toBeGreaterThanOrEqual(allAcked.length);
    expect(counter?.n).toBeLessThanOrEqual(stored.size);

    await writes.insertOne({ _id: 'after-crash', i: -1 });
    await store.close();
    const reopened = await openEmbeddedStore(dir, silentLogger);
    expect(await reopened.collection('writes').findOne({ _id: 'after-crash' })).toEqual({ _id: 'after-crash', i: -1 });
    await reopened.close();
  }, 60_000);

  it('drops a torn final line on start-up, logs it, and keeps everything before it', async () => {
    const store = await openEmbeddedStore(dir, silentLogger);
    const items = store.collection('items');
    await items.insertOne({ _id: 'a', v: 1 });
    await items.insertOne({ _id: 'b', v: 2 });
    await store.close();
    const torn = '{"_id":"c","v":3,"payload":"half a wri';
    await appendFile(path.join(dir, 'items.db'), torn);

    const { logger, records } = capturingLogger();
    const reopened = await openEmbeddedStore(dir, logger);
    const reopenedItems = reopened.collection('items');
    expect((await reopenedItems.find({}, { sort: { _id: 1 } })).map((doc) => doc._id)).toEqual(['a', 'b']);
    expect(records).toEqual([
      expect.objectContaining({ level: 40, collection: 'items', droppedBytes: Buffer.byteLength(torn) }),
    ]);
    expect(JSON.stringify(records)).not.toContain('half a wri'); // logs never carry document content
    await reopenedItems.insertOne({ _id: 'c', v: 3 });
    await reopened.close();

    const third = await openEmbeddedStore(dir, silentLogger);
    expect(await third.collection('items').countDocuments({})).toBe(3);
    await third.close();
  });

  it('refuses to start on corruption a crash cannot explain, naming the file', async () => {
    const store = await openEmbeddedStore(dir, silentLogger);
    await store.collection('items').insertOne({ _id: 'a', v: 1 });
    await store.close();
    const file = path.join(dir, 'items.db');
    await writeFile(file, `not json at all\n${await readFile(file, 'utf8')}`);
    await expect(openEmbeddedStore(dir, silentLogger)).rejects.toThrow(/items\.db.*corrupt/);
    // The failed start must not leave the directory locked.
    await writeFile(file, '');
    const recovered = await openEmbeddedStore(dir, silentLogger);
    await recovered.close();
  });

  it('keeps unique indexes across a restart', async () => {
    const store = await openEmbeddedStore(dir, silentLogger);
    await store.collection('people').createIndex({ email: 1 }, { unique: true });
    await store.collection('people').insertOne({ _id: 'a', email: 'one@example.invalid' });
    await store.close();
    const reopened = await openEmbeddedStore(dir, silentLogger);
    await expect(reopened.collection('people').insertOne({ _id: 'b', email: 'one@example.invalid' })).rejects.toBeInstanceOf(
      DuplicateKeyError,
    );
    await reopened.close();
  });

  it('lets only one store own a directory, and takes over a lock left by a dead process', async () => {
    const store = await openEmbeddedStore(dir, silentLogger);
    await expect(openEmbeddedStore(dir, silentLogger)).rejects.toBeInstanceOf(DataDirInUseError);
    await store.close();

    const dead = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => dead.on('exit', resolve));
    await writeFile(path.join(dir, 'LOCK'), String(dead.pid));
    const afterCrash = await openEmbeddedStore(dir, silentLogger);
    await afterCrash.close();

    // A live process that is not us holds the lock: our parent stands in for another instance.
    await writeFile(path.join(dir, 'LOCK'), String(process.ppid));
    await expect(openEmbeddedStore(dir, silentLogger)).rejects.toThrow(/in use by process/);
  });

  it('compacts the datafile once appended lines outnumber live documents', async () => {
    const store = await openEmbeddedStore(dir, silentLogger);
    const counters = store.collection('counters');
    await counters.insertOne({ _id: 'n', n: 0 });
    for (let i = 0; i < 1_500; i += 1) await counters.updateOne({ _id: 'n' }, { $inc: { n: 1 } });
    await store.close();
    const lines = (await readFile(path.join(dir, 'counters.db'), 'utf8')).split('\n').filter(Boolean);
    expect(lines.length).toBeLessThan(1_000);
    const reopened = await openEmbeddedStore(dir, silentLogger);
    expect(await reopened.collection('counters').findOne({ _id: 'n' })).toEqual({ _id: 'n', n: 1_500 });
    await reopened.close();
  });

  it('refuses operations once closed, even through a collection kept from before', async () => {
    const store = await openEmbeddedStore(dir, silentLogger);
    const kept = store.collection('items');
    await store.close();
    expect(() => store.collection('items')).toThrow(/closed/);
    await expect(store.ping()).rejects.toThrow(/closed/);
    await expect(kept.insertOne({ _id: 'late' })).rejects.toThrow(/closed/);
    await expect(kept.findOne({})).rejects.toThrow(/closed/);
  });
});
