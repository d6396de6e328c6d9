import { adviserApi } from '../support/safeguarding';
import { messageActivity, startTestApp, TEST_ADVISER_TOKEN, type RunningTestApp } from '../support/test-app';

/**
 * With `MicrosoftAppId` set, every request to the messages route must carry a Bot Framework JWT:
 * a request without one, or with one that is not a JWT, is refused before any turn runs.
 */
describe('bot authentication with MicrosoftAppId set', () => {
  let running: RunningTestApp;
  beforeAll(async () => {
    running = await startTestApp({
      MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'MultiTenant',
    });
  });
  afterAll(async () => {
    await running.stop();
  });

  const post = (authorization?: string) =>
    fetch(`${running.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify({ ...messageActivity('i want to end it all', 'auth-refused'), serviceUrl: 'https://smba.trafficmanager.net/uk/' }),
    });

  it.each([
    ['no Authorization header', undefined],
    ['a token that is not a JWT', 'Bearer not-a-jwt'],
    ['a Basic credential', 'Basic dXNlcjpwYXNz'],
  ])('%s gets 401 and no turn runs', async (_name, authorization) => {
    const response = await post(authorization);
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(body).not.toMatch(/end it all|at Object|\.js:\d+/);
    // the crisis words were never screened: no escalation was raised for an unauthenticated request
    const listed = await adviserApi(running.baseUrl, TEST_ADVISER_TOKEN).list();
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
  });
});
