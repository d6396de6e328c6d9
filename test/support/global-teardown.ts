import { takeRunningFerretDb } from './ferretdb';

/** Stops the FerretDB that the global set-up started (if any) and removes its data. */
export default async function globalTeardown(): Promise<void> {
  await takeRunningFerretDb()?.stop();
}
