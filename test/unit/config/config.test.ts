import { ConfigError, loadConfig } from '../../../services/config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration', () => {
  it('starts with sensible defaults and nothing set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ PORT: 3978, DATA_DIR: './data' });
    expect(config.MONGODB_URI).toBeUndefined();
    expect(config.MicrosoftAppId).toBeUndefined();
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ MONGODB_URI: '', MicrosoftAppId: '  ' })).toMatchObject({ MONGODB_URI: undefined, MicrosoftAppId: undefined });
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ MONGODB_URI: 'postgres://localhost/tribe' }, 'MONGODB_URI'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ MicrosoftAppId: 'an-app', MicrosoftAppType: 'MultiTenant' }, 'MicrosoftAppPassword'],
    [{ MicrosoftAppId: 'an-app', MicrosoftAppPassword: 'secret', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId'],
    [{ MicrosoftAppType: 'Anyone' }, 'MicrosoftAppType'],
    [{ DEV_ADVISER_TOKEN: 'short' }, 'DEV_ADVISER_TOKEN'],
    [{ NODE_ENV: 'production', DEV_ADVISER_TOKEN: 'a-long-enough-dev-token' }, 'DEV_ADVISER_TOKEN'],
    [{ ADVISER_TOKENS: 'pa-1:token' }, 'ADVISER_TOKENS'],
    [{ NODE_ENV: 'production' }, 'MicrosoftAppId'],
  ])('refuses %o, naming %s', (env, variable) => {
    const problems = problemsOf(env as Record<string, string>);
    expect(problems.some((problem) => problem.startsWith(`${variable}:`))).toBe(true);
  });

  it('names every offending variable at once', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', MONGODB_URI: 'http://nope' });
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual(['LOG_LEVEL', 'MONGODB_URI', 'PORT']);
  });

  it('accepts a single-tenant and a managed-identity registration', () => {
    expect(() =>
      loadConfig({ MicrosoftAppId: 'id', MicrosoftAppPassword: 'pw', MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: 'tenant' }),
    ).not.toThrow();
    expect(() => loadConfig({ MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 'tenant' })).not.toThrow();
  });
});

describe('PUBLIC_BASE_URL', () => {
  it('is trimmed of a trailing slash', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://tribe.example.org/' }).PUBLIC_BASE_URL).toBe('https://tribe.example.org');
  });

  it.each(['not a url', 'ftp://tribe.example.org'])('refuses %s', (value) => {
    expect(() => loadConfig({ PUBLIC_BASE_URL: value })).toThrow(/PUBLIC_BASE_URL/);
  });
});
