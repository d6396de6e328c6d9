import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../services/project-root';
import { ensureFerretDbBinary, keepRunningFerretDb, startFerretDb, testMongoUriVariable } from './ferretdb';

/** Compiles dist/ once, for the tests that start the real service (`node dist/bot/index.js`). */
function buildService(): void {
  execFileSync(process.execPath, [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
}

/**
 * Gives the tests a MongoDB wire-protocol server: MONGODB_URI if set, else FerretDB started here.
 * Throws (failing the run) if neither is possible: the MongoDB contract tests are never skipped.
 */
export default async function globalSetup(): Promise<void> {
  buildService();
  const external = process.env.MONGODB_URI?.trim();
  if (external) {
    process.env[testMongoUriVariable] = external;
    return;
  }
  const ferretdb = await startFerretDb(ensureFerretDbBinary());
  keepRunningFerretDb(ferretdb);
  // Test workers are forked after this and inherit the environment.
  process.env[testMongoUriVariable] = ferretdb.uri;
}
