import { ensureFerretDbBinary, keepRunningFerretDb, startFerretDb, testMongoUriVariable } from './ferretdb';

/**
 * Gives the tests a MongoDB wire-protocol server: MONGODB_URI if set, else FerretDB started here.
 * Throws (failing the run) if neither is possible: the MongoDB contract tests are never skipped.
 */
export default async function globalSetup(): Promise<void> {
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
