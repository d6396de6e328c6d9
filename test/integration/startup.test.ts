import { spawnSync } from 'node:child_process';
import { serviceEntry } from '../support/service-process';

function start(env: Record<string, string>) {
  return spawnSync(process.execPath, [serviceEntry], {
    env: { PATH: process.env.PATH ?? '', ...env },
    encoding: 'utf8',
    timeout: 15000,
  });
}

describe('start-up with a bad configuration', () => {
  it.each([
    [{ PORT: 'not-a-port' }, 'PORT'],
    [{ MONGODB_URI: 'http://localhost:27017' }, 'MONGODB_URI'],
    [{ MicrosoftAppId: 'app', MicrosoftAppType: 'SingleTenant', MicrosoftAppPassword: 'pw' }, 'MicrosoftAppTenantId'],
  ])('%o fails fast, naming %s', (env, variable) => {
    const result = start(env as Record<string, string>);
    expect(result.status).toBe(78);
    expect(result.stderr).toContain('invalid configuration');
    expect(result.stderr).toContain(`${variable}:`);
  });
});
