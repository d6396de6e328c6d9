import { type Activity, ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { ReusedClientsAuthentication } from '../../../bot/reused-clients';

/** Tribe's adapter builds connector and user-token clients once instead of every turn. */
describe('ReusedClientsAuthentication', () => {
  const settings = { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' };
  const authentication = () =>
    new ReusedClientsAuthentication(new ConfigurationBotFrameworkAuthentication(settings, new ConfigurationServiceClientCredentialFactory(settings)));
  const activity = (serviceUrl: string) => ({ type: 'message', channelId: 'test', serviceUrl, conversation: { id: 'c' }, from: { id: 'u' } }) as Activity;

  it('hands every turn from the same service the same connector client', async () => {
    const auth = authentication();
    const first = await auth.authenticateRequest(activity('http://a.test'), '');
    const second = await auth.authenticateRequest(activity('http://a.test'), '');
    const client = await first.connectorFactory!.create('http://a.test', first.audience);
    expect(await second.connectorFactory!.create('http://a.test', second.audience)).toBe(client);
    expect(await auth.createConnectorFactory(first.claimsIdentity).create('http://a.test', first.audience)).toBe(client);
  });

  it('builds another for another service URL or audience', async () => {
    const auth = authentication();
    const { connectorFactory, audience } = await auth.authenticateRequest(activity('http://a.test'), '');
    const a = await connectorFactory!.create('http://a.test', audience);
    expect(await connectorFactory!.create('http://b.test', audience)).not.toBe(a);
    expect(await connectorFactory!.create('http://a.test', 'https://other.audience')).not.toBe(a);
  });

  it('reuses the user-token client', async () => {
    const auth = authentication();
    const { claimsIdentity } = await auth.authenticateRequest(activity('http://a.test'), '');
    expect(await auth.createUserTokenClient(claimsIdentity)).toBe(await auth.createUserTokenClient(claimsIdentity));
  });

  it('keeps a bounded number: service URLs come from the activity', async () => {
    const auth = authentication();
    const { connectorFactory, audience } = await auth.authenticateRequest(activity('http://a.test'), '');
    const first = await connectorFactory!.create('http://0.test', audience);
    for (let n = 1; n <= 100; n += 1) await connectorFactory!.create(`http://${n}.test`, audience);
    expect(await connectorFactory!.create('http://0.test', audience)).not.toBe(first);
  });
});
