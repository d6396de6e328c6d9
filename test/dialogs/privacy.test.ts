import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ConversationAccount, TestAdapter, UserState } from 'botbuilder';
import { DocumentStateStorage } from '../../bot/state-storage';
import { createTribeBot } from '../../bot/tribe-bot';
import { raiseConcern } from '../../services/escalations';
import { EXPORT_HANDOFFS_COLLECTION } from '../../services/privacy/export-handoffs';
import { userKeyOf } from '../../services/profiles/profile';
import { escalationsFor, harnessForEachTest, wordsOf } from './support/harness';
import { onboard, play, renderer } from './support/transcript';

/**
 * Privacy: the notice, export my data (summary + JSON file: attached in Web Chat, a file-consent
 * card in Teams, a one-time link elsewhere), delete my data (asked once).
 */
describe('privacy', () => {
  const harness = harnessForEachTest();
  const t = renderer(() => harness);

  function fileOf(reply: { attachments?: Array<{ contentType: string; contentUrl?: string; name?: string }> }) {
    const file = reply.attachments?.find((attachment) => attachment.contentType === 'application/json');
    expect(file?.name).toMatch(/^tribe-my-data-\d{4}-\d{2}-\d{2}\.json$/);
    const [, base64] = file!.contentUrl!.split(',');
    return JSON.parse(Buffer.from(base64!, 'base64').toString('utf8')) as { exportedAt: string; sections: Record<string, unknown> };
  }

  it('shows the notice and options from the menu, and exports a readable summary and a JSON file', async () => {
    const client = harness.client('webchat', { from: 'sam' });
    await onboard(client, t, { name: 'Sam', age: '19', council: 'Leeds', picks: 'education,parent', home: 'supported-lodgings' });
    await play(client, [[t('journeys.menu.privacy'), 'What Tribe keeps', t('journeys.privacy.options'), t('journeys.privacy.label.export')]]);
    const [summary] = await client.say(t('journeys.privacy.label.export'));
    for (const line of [
      t('journeys.privacy.export-intro'),
      t('journeys.privacy.export.name', { name: 'Sam' }),
      t('journeys.privacy.export.age', { age: 19 }),
      t('journeys.privacy.export.council', { council: 'Leeds' }),
      t('journeys.privacy.export.home', { home: t('journeys.home.supported-lodgings') }),
      t('journeys.privacy.export.file'),
    ]) {
      expect(summary!.text).toContain(line);
    }
    const data = fileOf(summary!);
    expect(data.sections.profile).toMatchObject({ preferredName: 'Sam', councilId: 'leeds', situations: ['education', 'parent'] });
    expect(data.sections.profile).not.toHaveProperty('_id');
    expect(data.sections.profile).not.toHaveProperty('reference');
    expect(data.sections).toMatchObject({ entitlements: [], goals: [], checkIns: [], people: [], reminders: [] });
  });

  describe('Teams: the file-consent flow', () => {
    const uploads: Array<{ method: string; headers: http.IncomingHttpHeaders; body: string }> = [];
    let uploadStatus = 201;
    let uploadServer: http.Server;
    let uploadBase = '';

    beforeAll(async () => {
      uploadServer = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          uploads.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
          res.writeHead(uploadStatus, { 'content-type': 'application/json' });
          res.end('{}');
        });
      });
      await new Promise<void>((resolve) => uploadServer.listen(0, '127.0.0.1', resolve));
      uploadBase = `http://127.0.0.1:${(uploadServer.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => uploadServer.close(() => resolve()));
    });
    beforeEach(() => {
      uploads.length = 0;
      uploadStatus = 201;
    });

    /** What Teams sends when the young person taps Allow or Decline on the card. */
    function consentValue(action: 'accept' | 'decline', exportId: string) {
      return {
        type: 'fileUpload',
        action,
        context: { exportId },
        ...(action === 'accept'
          ? {
              uploadInfo: {
                name: 'tribe-my-data-2026-11-23.json',
                uploadUrl: `${uploadBase}/upload-session/abc`,
                contentUrl: 'https://contoso-my.sharepoint.com/personal/test/Documents/Applications/Tribe/tribe-my-data-2026-11-23.json',
                uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D',
                fileType: 'json',
              },
            }
          : {}),
      };
    }

    /** The invoke goes through the real activity handler (not the root dialog), as in production. */
    async function invoke(from: string, value: unknown) {
      const bot = createTribeBot(harness.conversationState, new UserState(new DocumentStateStorage(harness.store)), harness.services);
      const adapter = new TestAdapter((context) => bot.run(context));
      await adapter.processActivity({
        type: 'invoke',
        name: 'fileConsent/invoke',
        channelId: 'msteams',
        from: { id: from, name: 'test user' },
        conversation: { id: `teams-${from}`, conversationType: 'personal' } as ConversationAccount,
        value,
      });
      const sent = adapter.activeQueue.splice(0);
      return {
        response: sent.find((activity) => activity.type === 'invokeResponse')?.value as { status: number } | undefined,
        replies: sent.filter((activity) => activity.type === 'message'),
      };
    }

    /** Onboards a Teams user, asks for an export, and returns the card's export id. */
    async function offerCard(from: string, name: string) {
      const client = harness.client('msteams', { from });
      await onboard(client, t, { name });
      const replies = await client.say('export my data');
      expect(replies[0]!.text).toContain(t('journeys.privacy.export-intro'));
      expect(replies[0]!.text).toContain(t('journeys.privacy.export.name', { name }));
      expect(replies[0]!.text).toContain(t('journeys.privacy.export.teams'));
      const attachment = replies[1]!.attachments![0]!;
      expect(attachment.contentType).toBe('application/vnd.microsoft.teams.card.file.consent');
      expect(attachment.name).toMatch(/^tribe-my-data-\d{4}-\d{2}-\d{2}\.json$/);
      const card = attachment.content as { description: string; sizeInBytes: number; acceptContext: { exportId: string }; declineContext: { exportId: string } };
      expect(card.description).toBe(t('journeys.privacy.export.consent-card'));
      expect(card.sizeInBytes).toBeGreaterThan(100);
      expect(card.acceptContext.exportId).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(card.declineContext).toEqual(card.acceptContext);
      // The card carries an opaque id, never the data.
      expect(JSON.stringify(replies[1])).not.toContain(name);
      expect(JSON.stringify(replies[1])).not.toContain('preferredName');
      return { client, exportId: card.acceptContext.exportId, sizeInBytes: card.sizeInBytes };
    }

    const handoffs = () => harness.store.collection(EXPORT_HANDOFFS_COLLECTION).find({});

    it('Allow: the file is PUT to the upload session with Content-Range, then shown as a file card; the invoke gets 200', async () => {
      const { exportId, sizeInBytes } = await offerCard('tam', 'Tam');
      const stored = await handoffs();
      expect(stored).toHaveLength(1);
      // Kept through the store: whose export and when it expires, no data and not the id itself.
      expect(JSON.stringify(stored)).not.toContain(exportId);
      expect(JSON.stringify(stored)).not.toContain('Tam');

      const { response, replies } = await invoke('tam', consentValue('accept', exportId));
      expect(response).toEqual({ status: 200 });
      expect(uploads).toHaveLength(1);
      const [upload] = uploads;
      expect(upload!.method).toBe('PUT');
      const size = Buffer.byteLength(upload!.body, 'utf8');
      expect(upload!.headers['content-range']).toBe(`bytes 0-${size - 1}/${size}`);
      expect(upload!.headers['content-length']).toBe(String(size));
      expect(Math.abs(size - sizeInBytes)).toBeLessThan(50);
      expect(JSON.parse(upload!.body).sections.profile).toMatchObject({ preferredName: 'Tam' });

      expect(replies).toHaveLength(1);
      expect(replies[0]!.text).toBe(t('journeys.privacy.export.saved'));
      expect(replies[0]!.attachments).toEqual([
        {
          contentType: 'application/vnd.microsoft.teams.card.file.info',
          contentUrl: consentValue('accept', exportId).uploadInfo!.contentUrl,
          name: 'tribe-my-data-2026-11-23.json',
          content: { uniqueId: '1150D938-8870-4044-9F2C-5BBDEBA70C9D', fileType: 'json' },
        },
      ]);
      expect(await handoffs()).toEqual([]);

      // One use: a second Allow on the same card sends nothing.
      const again = await invoke('tam', consentValue('accept', exportId));
      expect(again.response).toEqual({ status: 200 });
      expect(again.replies.map(wordsOf)).toEqual([t('journeys.privacy.export.offer-gone')]);
      expect(uploads).toHaveLength(1);
    });

    it('Decline: says so kindly, uploads nothing and throws the offer away', async () => {
      const { exportId } = await offerCard('dee', 'Dee');
      const { response, replies } = await invoke('dee', consentValue('decline', exportId));
      expect(response).toEqual({ status: 200 });
      expect(replies.map(wordsOf)).toEqual([t('journeys.privacy.export.declined')]);
      expect(await handoffs()).toEqual([]);
      const later = await invoke('dee', consentValue('accept', exportId));
      expect(later.replies.map(wordsOf)).toEqual([t('journeys.privacy.export.offer-gone')]);
      expect(uploads).toEqual([]);
    });

    it('upload failure: says so kindly and offers a one-time download link instead', async () => {
      harness.services.exportDelivery = { ...harness.services.exportDelivery, downloadUrl: (token) => `https://tribe.example.org/api/exports/${token}` };
      const { exportId } = await offerCard('ula', 'Ula');
      uploadStatus = 500;
      const { response, replies } = await invoke('ula', consentValue('accept', exportId));
      expect(response).toEqual({ status: 200 });
      expect(uploads).toHaveLength(1);
      const words = replies.map(wordsOf).join('\n');
      expect(words).toContain(t('journeys.privacy.export.upload-failed'));
      const token = /https:\/\/tribe\.example\.org\/api\/exports\/([A-Za-z0-9_-]{43})/.exec(words)?.[1];
      expect(token).toBeDefined();
      expect(words).toContain(t('journeys.privacy.export.link', { url: `https://tribe.example.org/api/exports/${token}`, minutes: 15 }));
      expect(replies.flatMap((reply) => reply.attachments ?? [])).toEqual([]);
      const data = await harness.services.privacy.redeemExport(token!, 'download');
      expect(data?.sections.profile).toMatchObject({ preferredName: 'Ula' });
      expect(await harness.services.privacy.redeemExport(token!, 'download')).toBeNull();
    });

    it('a download that fails part-way does not spend the link', async () => {
      const privacy = harness.services.privacy;
      const { token } = await privacy.offerExport('user-ula', 'download');
      const exportData = privacy.exportData.bind(privacy);
      privacy.exportData = async () => {
        throw new Error('store unavailable');
      };
      try {
        await expect(privacy.redeemExport(token, 'download')).rejects.toThrow('store unavailable');
      } finally {
        privacy.exportData = exportData;
      }
      expect(await privacy.redeemExport(token, 'download')).not.toBeNull();
      expect(await privacy.redeemExport(token, 'download')).toBeNull();
    });

    it('upload failure with no public address: says how else to get a copy, with no link', async () => {
      const { exportId } = await offerCard('una', 'Una');
      uploadStatus = 403;
      const { replies } = await invoke('una', consentValue('accept', exportId));
      const words = replies.map(wordsOf).join('\n');
      expect(words).toContain(t('journeys.privacy.export.upload-failed'));
      expect(words).toContain(t('journeys.privacy.export.no-link'));
      expect(words).not.toMatch(/https?:\/\//);
      expect(await handoffs()).toEqual([]);
    });

    it('expiry: after 15 minutes the card sends nothing, and the expired offer is deleted', async () => {
      const { exportId } = await offerCard('eve', 'Ezra');
      harness.clock.advanceDays(15 / (24 * 60));
      const { response, replies } = await invoke('eve', consentValue('accept', exportId));
      expect(response).toEqual({ status: 200 });
      expect(replies.map(wordsOf)).toEqual([t('journeys.privacy.export.offer-gone')]);
      expect(uploads).toEqual([]);
      expect(await handoffs()).toEqual([]);
    });

    it("survives a restart (the offer is in the store) and is no use to someone else", async () => {
      const { exportId } = await offerCard('ria', 'Ria');
      await harness.restart();
      const stranger = await invoke('someone-else', consentValue('accept', exportId));
      expect(stranger.replies.map(wordsOf)).toEqual([t('journeys.privacy.export.offer-gone')]);
      expect(uploads).toEqual([]);
      const { replies } = await invoke('ria', consentValue('accept', exportId));
      expect(replies[0]!.text).toBe(t('journeys.privacy.export.saved'));
      expect(JSON.parse(uploads[0]!.body).sections.profile).toMatchObject({ preferredName: 'Ria' });
    });

    it('in a Teams group chat (where file-consent cards do not work) a link is offered instead', async () => {
      const client = harness.client('msteams', { from: 'grp' });
      await onboard(client, t, { name: 'Gil' });
      const replies = await client.say({ text: 'export my data', conversation: { id: 'group-chat', conversationType: 'groupChat' } as ConversationAccount });
      const words = replies.map(wordsOf).join('\n');
      expect(words).toContain(t('journeys.privacy.export.no-link'));
      expect(replies.flatMap((reply) => reply.attachments ?? [])).toEqual([]);
    });

    it.each([
      ['no value', undefined],
      ['an unknown action', { action: 'maybe', context: { exportId: 'a'.repeat(43) } }],
      ['a malformed id', { action: 'decline', context: { exportId: 'not-an-id' } }],
      ['accept without upload info', { action: 'accept', context: { exportId: 'a'.repeat(43) } }],
    ])('a malformed invoke (%s) gets 400 and no reply', async (_name, value) => {
      const { response, replies } = await invoke('mal', value);
      expect(response).toEqual({ status: 400 });
      expect(replies).toEqual([]);
    });
  });

  describe('text-only channels: a one-time download link', () => {
    it('gives the summary and a link that works once, for 15 minutes', async () => {
      harness.services.exportDelivery = { ...harness.services.exportDelivery, downloadUrl: (token) => `https://tribe.example.org/api/exports/${token}` };
      const client = harness.client('sms', { from: 'sol' });
      await play(client, [
        ['hi', t('journeys.onboarding.consent')],
        ['yes', t('journeys.onboarding.ask-name')],
      ]);
      const replies = await client.say('export my data');
      const words = replies.map(wordsOf).join('\n');
      expect(words).toContain(t('journeys.privacy.export-intro'));
      expect(words).not.toContain('```');
      expect(replies.flatMap((reply) => reply.attachments ?? [])).toEqual([]);
      const token = /https:\/\/tribe\.example\.org\/api\/exports\/([A-Za-z0-9_-]{43})/.exec(words)?.[1];
      expect(words).toContain(t('journeys.privacy.export.link', { url: `https://tribe.example.org/api/exports/${token}`, minutes: 15 }));
      const data = await harness.services.privacy.redeemExport(token!, 'download');
      expect(data?.sections.profile).toMatchObject({ consent: expect.anything() });
      expect(await harness.services.privacy.redeemExport(token!, 'download')).toBeNull();
    });

    it('a link expires after 15 minutes', async () => {
      const key = userKeyOf('sms', 'late');
      const client = harness.client('sms', { from: 'late' });
      await play(client, [
        ['hi', t('journeys.onboarding.consent')],
        ['yes', t('journeys.onboarding.ask-name')],
      ]);
      const { token } = await harness.services.privacy.offerExport(key, 'download');
      harness.clock.advanceDays(15 / (24 * 60));
      expect(await harness.services.privacy.redeemExport(token, 'download')).toBeNull();
    });

    it('with no public address (production without PUBLIC_BASE_URL), says how else to get a copy and makes no link', async () => {
      const client = harness.client('email', { from: 'em' });
      await play(client, [
        ['hi', t('journeys.onboarding.consent')],
        ['yes', t('journeys.onboarding.ask-name')],
        ['export my data', t('journeys.privacy.export-intro'), t('journeys.privacy.export.no-link')],
      ]);
      expect(client.last.map(wordsOf).join('\n')).not.toMatch(/https?:\/\/|```/);
      expect(await harness.store.collection(EXPORT_HANDOFFS_COLLECTION).find({})).toEqual([]);
    });

    it('delete my data also throws away any link not yet used', async () => {
      const client = harness.client('sms', { from: 'gone' });
      await onboard(client, t, { name: 'Gus' });
      const { token } = await harness.services.privacy.offerExport(userKeyOf('sms', 'gone'), 'download');
      await harness.services.privacy.deleteData(userKeyOf('sms', 'gone'));
      expect(await harness.services.privacy.redeemExport(token, 'download')).toBeNull();
      expect(await harness.store.collection(EXPORT_HANDOFFS_COLLECTION).find({})).toEqual([]);
    });
  });

  it('export my data in the middle of a journey, then carries on', async () => {
    const client = harness.client('webchat', { from: 'mid' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['export my data', t('journeys.privacy.export-intro'), t('journeys.global.resume'), t('journeys.onboarding.ask-name')],
    ]);
  });

  it('has nothing to export or delete without consent', async () => {
    const client = harness.client('webchat', { from: 'nobody' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['not now', t('journeys.onboarding.declined').slice(0, 20)],
      ['export my data', t('journeys.privacy.export-nothing')],
      ['delete my data', t('journeys.privacy.nothing-to-delete')],
    ]);
  });

  it('delete my data asks once; no keeps everything, yes deletes everything personal', async () => {
    const client = harness.client('webchat', { from: 'leaver' });
    await onboard(client, t, { name: 'Lee' });
    const key = userKeyOf('webchat', 'leaver');
    await harness.services.tracker.setStatus(key, 'entitlement.personal-adviser', 'applied');
    await harness.services.checkIns.record(key, 4, 'a good day');
    await harness.services.people.add(key, { name: 'Aunt Jo', relationship: 'family' });
    await harness.services.goals.create(key, 'housing', 'own-flat');

    await play(client, [
      ['delete my data', t('journeys.privacy.delete-confirm')],
      ['No, keep it', t('journeys.privacy.delete-cancelled')],
    ]);
    expect(await harness.services.profiles.get(key)).not.toBeNull();

    await play(client, [
      ['delete my data', t('journeys.privacy.delete-confirm')],
      ['Yes, delete it all', t('journeys.privacy.deleted').slice(0, 40)],
    ]);
    expect(await harness.services.profiles.get(key)).toBeNull();
    const left = await harness.services.privacy.exportData(key);
    expect(left.sections).toEqual({ entitlements: [], goals: [], checkIns: [], people: [], reminders: [], concerns: [], profile: null });
  });

  it('export includes what a concern kept; delete removes their words and their link from an open concern (the privacy notice)', async () => {
    const client = harness.client('webchat', { from: 'worried' });
    await onboard(client, t, { name: 'Wren' });
    const key = userKeyOf('webchat', 'worried');
    await raiseConcern(harness.escalations, {
      userKey: key,
      conversationKey: 'webchat:worried-conversation',
      severity: 'medium',
      category: 'mental_health',
      messageText: 'Wren feels low most days',
    });
    expect((await harness.services.privacy.exportData(key)).sections.concerns).toEqual([
      expect.objectContaining({ severity: 'medium', category: 'mental_health', whatYouWrote: 'Wren feels low most days' }),
    ]);

    await harness.services.privacy.deleteData(key);
    expect(await escalationsFor(harness.store, key)).toEqual([]);
    const kept = await harness.escalations.escalations.list({});
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ status: 'raised', excerpt: '', erased: true });
    expect(JSON.stringify(kept)).not.toContain('worried');
  });

  it('delete in the middle of a journey leaves the journey for the confirmation', async () => {
    const client = harness.client('webchat', { from: 'midway' });
    await play(client, [
      ['hi', t('journeys.onboarding.consent')],
      ['yes', t('journeys.onboarding.ask-name')],
      ['delete my data', t('journeys.privacy.delete-confirm')],
      ['gibberish', t('journeys.onboarding.choice-retry')],
      ['yes', t('journeys.privacy.deleted').slice(0, 40)],
    ]);
    expect(await harness.services.profiles.get(userKeyOf('webchat', 'midway'))).toBeNull();
  });
});
