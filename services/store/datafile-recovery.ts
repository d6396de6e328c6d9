import { promises as fs } from 'node:fs';

/**
 * nedb appends one JSON line per write and acknowledges after the append. A process killed in the
 * middle of an append can leave a final line without its newline: a write that was never
 * acknowledged. It is cut off here, before nedb loads the file, so that nedb's corruption check
 * only ever sees damage that a crash cannot explain (and then refuses to start).
 */

const newline = 0x0a;
const chunkSize = 64 * 1024;

/** Truncates an unterminated last line; returns how many bytes were dropped (0 if none). */
export async function dropTornFinalLine(file: string): Promise<number> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return 0;
    const buffer = Buffer.alloc(Math.min(chunkSize, size));
    let end = size;
    while (end > 0) {
      const start = Math.max(0, end - buffer.length);
      const length = end - start;
      await handle.read(buffer, 0, length, start);
      const lastNewline = buffer.subarray(0, length).lastIndexOf(newline);
      if (lastNewline !== -1) {
        const keep = start + lastNewline + 1;
        if (keep === size) return 0;
        await handle.truncate(keep);
        return size - keep;
      }
      end = start;
    }
    await handle.truncate(0);
    return size;
  } finally {
    await handle.close();
  }
}
