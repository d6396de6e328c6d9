import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../services/project-root';
import { buildTeamsPackage } from '../bot/teams/package-app';

/** `npm run teams:package`: writes dist/tribe-teams.zip for the bot registration in MicrosoftAppId. */
const appId = process.env.MicrosoftAppId ?? '';
try {
  const zip = buildTeamsPackage(appId);
  const out = join(projectRoot, 'dist', 'tribe-teams.zip');
  mkdirSync(join(projectRoot, 'dist'), { recursive: true });
  writeFileSync(out, zip);
  process.stdout.write(`Wrote ${out}\n`);
} catch (error) {
  process.stderr.write(`teams:package: ${(error as Error).message}\n`);
  process.exit(1);
}
