import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * nedb appends each change with `fs.promises.appendFile`: open, write and close, three trips
 * through libuv's thread pool, each waiting for a busy event loop. A collection's writes are
 * serialised, so under load those trips queued up: bench/turns measured bot-state writes at 55 ms
 * each at 20 connections. One synchronous write to the page cache takes microseconds and gives
 * the same guarantee: the change is in the file before the write is acknowledged, so it survives
 * `kill -9` (not a power cut; nedb never fsyncs appends).
 *
 * The datafile stays open between appends (open and close were two of every write's three system
 * calls). nedb replaces a datafile only by writing a new file and renaming it over the old one
 * (compaction, and the integrity check on load), so every nedb storage call that renames, writes,
 * or removes a datafile first closes the descriptor held for it; the next append opens the new
 * file. nedb runs a collection's appends and compactions one at a time, so none is in between.
 * `releaseAppendFile` closes it when the store closes.
 *
 * nedb reads these functions from its storage module at call time, so replacing them there is
 * enough. The version is pinned in package.json, and a test checks the hook.
 */
type StorageFunction = (...args: never[]) => Promise<unknown>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nedbStorage = require('@seald-io/nedb/lib/storage.js') as Record<string, StorageFunction> & {
  appendFileAsync: (file: string, data: string, options: { encoding: BufferEncoding; mode?: number }) => Promise<void>;
};

/** Open datafiles, by the path nedb names them with. */
const openFiles = new Map<string, number>();

/** Closes the descriptor held for `file`, if any: it is about to be replaced, or the store is closing. */
export function releaseAppendFile(file: string): void {
  const fd = openFiles.get(file);
  if (fd === undefined) return;
  openFiles.delete(file);
  closeSync(fd);
}

export async function appendNow(file: string, data: string, options: { encoding: BufferEncoding; mode?: number }): Promise<void> {
  let fd = openFiles.get(file);
  if (fd === undefined) {
    fd = openSync(file, 'a', options.mode);
    openFiles.set(file, fd);
  }
  try {
    // The string goes to the file without a Buffer copy. O_APPEND: each write lands at the end of
    // the file, and a regular file takes it whole; should it not, the rest follows as bytes.
    const written = writeSync(fd, data, null, options.encoding);
    if (written !== data.length) {
      const bytes = Buffer.from(data, options.encoding);
      for (let done = written; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    }
  } catch (error) {
    releaseAppendFile(file);
    throw error;
  }
}

/** nedb storage calls that replace or remove a datafile, with the arguments naming files. */
const REPLACING_CALLS: Record<string, number[]> = {
  crashSafeWriteFileLinesAsync: [0],
  ensureDatafileIntegrityAsync: [0],
  writeFileAsync: [0],
  renameAsync: [0, 1],
  unlinkAsync: [0],
};

const hooked = new WeakSet<StorageFunction>();

export function useSynchronousAppends(): void {
  nedbStorage.appendFileAsync = appendNow;
  for (const [name, fileArgs] of Object.entries(REPLACING_CALLS)) {
    const original = nedbStorage[name];
    if (!original || hooked.has(original)) continue;
    const wrapped: StorageFunction = (...args: never[]) => {
      for (const index of fileArgs) if (typeof args[index] === 'string') releaseAppendFile(args[index]);
      return original(...args);
    };
    hooked.add(wrapped);
    nedbStorage[name] = wrapped;
  }
}

export function synchronousAppendsInUse(): boolean {
  return nedbStorage.appendFileAsync === appendNow && Object.keys(REPLACING_CALLS).every((name) => hooked.has(nedbStorage[name]!));
}
