import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * One process at a time may own a data directory: the embedded store keeps every document in
 * memory, so a second process writing the same files would silently lose the first one's writes.
 * The lock is a file holding the owner's pid; a lock left by a process that has died (kill -9,
 * power cut) is taken over.
 */

const lockFileName = 'LOCK';
const heldInThisProcess = new Set<string>();

export class DataDirInUseError extends Error {
  constructor(dir: string, pid: number) {
    super(
      `DATA_DIR ${dir} is in use by process ${pid}. Stop that process, or if none is running remove ${path.join(dir, lockFileName)}.`,
    );
    this.name = 'DataDirInUseError';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DataDirLock {
  release(): Promise<void>;
}

async function readOwner(lockFile: string): Promise<number | undefined> {
  const owner = Number.parseInt(await fs.readFile(lockFile, 'utf8').catch(() => ''), 10);
  return Number.isInteger(owner) ? owner : undefined;
}

export async function lockDataDir(dir: string): Promise<DataDirLock> {
  const absoluteDir = path.resolve(dir);
  const lockFile = path.join(absoluteDir, lockFileName);
  if (heldInThisProcess.has(absoluteDir)) throw new DataDirInUseError(absoluteDir, process.pid);
  await fs.mkdir(absoluteDir, { recursive: true });

  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      await fs.writeFile(lockFile, String(process.pid), { flag: 'wx' });
      heldInThisProcess.add(absoluteDir);
      return {
        async release() {
          if (!heldInThisProcess.delete(absoluteDir)) return;
          await fs.rm(lockFile, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(lockFile);
    // Our own pid here is a lock from an earlier life of a restarted container, not a live owner.
    if (owner !== undefined && owner !== process.pid && isAlive(owner)) throw new DataDirInUseError(absoluteDir, owner);
    await fs.rm(lockFile, { force: true });
  }
  // Another process took the stale lock over between our two attempts.
  throw new DataDirInUseError(absoluteDir, (await readOwner(lockFile)) ?? 0);
}
