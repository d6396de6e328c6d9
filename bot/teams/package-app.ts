import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { projectRoot } from '../../services/project-root';

export const teamsDir = join(projectRoot, 'bot', 'teams');
const PLACEHOLDER_ID = '00000000-0000-0000-0000-000000000000';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function readManifest(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(teamsDir, 'manifest.json'), 'utf8'));
}

/** The manifest with the bot's real app id (and the app's own id) in place of the placeholder. */
export function manifestFor(appId: string): Record<string, unknown> {
  if (!GUID.test(appId)) throw new Error('MicrosoftAppId must be the bot registration GUID');
  return JSON.parse(JSON.stringify(readManifest()).replaceAll(PLACEHOLDER_ID, appId.toLowerCase()));
}

/** The zip an admin uploads to Teams: manifest.json and both icons at the root. */
export function buildTeamsPackage(appId: string): Buffer {
  const zip = new AdmZip();
  zip.addFile('manifest.json', Buffer.from(JSON.stringify(manifestFor(appId), null, 2)));
  for (const icon of ['color.png', 'outline.png']) zip.addFile(icon, readFileSync(join(teamsDir, icon)));
  return zip.toBuffer();
}
