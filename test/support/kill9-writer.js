'use strict';
/**
 * Child process for embedded-kill9.test.ts. Usage: node kill9-writer.js <dataDir> <firstIndex>
 * Writes through the embedded adapter as fast as it can and prints "ack <id>" once both an insert
 * and a counter increment are acknowledged, until it is killed.
 */
require('./typescript-require').registerTypeScript();
const { openEmbeddedStore } = require('../../services/store/embedded.ts');
const { createLogger } = require('../../services/logging.ts');

async function main() {
  const [dataDir, firstIndex] = process.argv.slice(2);
  const store = await openEmbeddedStore(dataDir, createLogger('silent'));
  const writes = store.collection('writes');
  const counters = store.collection('counters');
  process.stdout.write('ready\n');
  for (let i = Number(firstIndex); ; i += 1) {
    // Every seventh document is large, so a kill is likely to land in the middle of an append.
    const payload = 'x'.repeat(i % 7 === 0 ? 64_000 : 200);
    await writes.insertOne({ _id: `w${i}`, i, payload });
    await counters.updateOne({ _id: 'acks' }, { $inc: { n: 1 } }, { upsert: true });
    // stdout to a pipe is synchronous on Linux: a printed ack has reached the parent before the next write starts.
    process.stdout.write(`ack w${i}\n`);
  }
}

main().catch((error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
