import { appendFileSync } from 'node:fs';

/**
 * nedb appends each change with `fs.promises.appendFile`: open, write and close, three trips
 * through libuv's thread pool, each waiting for a busy event loop. A collection's writes are
 * serialised, so under load those trips queued up: bench/turns measured bot-state writes at 55 ms
 * each at 20 connections. One synchronous append to the page cache takes microseconds and gives
 * the same guarantee: the change is in the file before the write is acknowledged, so it survives
 * `kill -9` (not a power cut; nedb never fsyncs appends).
 *
 * nedb reads `appendFileAsync` from its storage module at call time, so replacing that one
 * function is enough. The version is pinned in package.json, and a test checks the hook.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nedbStorage = require('@seald-io/nedb/lib/storage.js') as {
  appendFileAsync: (file: string, data: string, options: { encoding: BufferEncoding; mode?: number }) => Promise<void>;
};

export async function appendNow(file: string, data: string, options: { encoding: BufferEncoding; mode?: number }): Promise<void> {
  appendFileSync(file, data, options);
}

export function useSynchronousAppends(): void {
  nedbStorage.appendFileAsync = appendNow;
}

export function synchronousAppendsInUse(): boolean {
  return nedbStorage.appendFileAsync === appendNow;
}
