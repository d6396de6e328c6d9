import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import { ManifestUtil } from '@microsoft/app-manifest';
import { buildTeamsPackage, manifestFor, readManifest, teamsDir } from '../../../bot/teams/package-app';

// The schema ships inside @microsoft/app-manifest, so validation needs no network.
const schemaPath = require.resolve('@microsoft/app-manifest/package.json').replace(
  'package.json',
  join('build', 'json-schemas', 'teams', 'v1.19', 'MicrosoftTeams.schema.json'),
);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const appId = '2f1c9a7e-5b3d-4c8a-9e21-7d6f0b4a1c33';

function pngSize(file: string): [number, number] {
  const bytes = readFileSync(join(teamsDir, file));
  expect(bytes.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('Teams app manifest', () => {
  it('is valid against the v1.19 schema shipped offline', async () => {
    const errors = await ManifestUtil.validateManifestAgainstSchema(manifestFor(appId) as never, schema);
    expect(errors).toEqual([]);
  });

  it('rejects a manifest that breaks the schema, so the check really checks', async () => {
    const broken = { ...readManifest(), accentColor: 'teal', name: undefined };
    const errors = await ManifestUtil.validateManifestAgainstSchema(broken as never, schema);
    expect(errors.length).toBeGreaterThan(0);
  });

  it('has the icon sizes Teams requires', () => {
    expect(pngSize('color.png')).toEqual([192, 192]);
    expect(pngSize('outline.png')).toEqual([32, 32]);
  });

  it('packages the manifest with the real bot id and both icons', () => {
    const zip = new AdmZip(buildTeamsPackage(appId));
    expect(zip.getEntries().map((entry) => entry.entryName).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
    const packaged = JSON.parse(zip.readAsText('manifest.json'));
    expect(packaged.id).toBe(appId);
    expect(packaged.bots[0].botId).toBe(appId);
  });

  it('refuses to package without a real app id', () => {
    expect(() => buildTeamsPackage('')).toThrow(/MicrosoftAppId/);
    expect(() => buildTeamsPackage('not-a-guid')).toThrow(/MicrosoftAppId/);
  });
});
