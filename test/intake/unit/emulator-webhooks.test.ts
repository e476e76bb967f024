import { createHmac } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { WebhookCallouts, autotaskCalloutJson } from '../../../src/emulator/webhooks/webhook-callouts.js';
import { verifyHookSignature } from '../../../src/intake/webhooks/hook-signature.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { silentLogger } from '../../../src/shared/logger.js';

interface Sent {
  url: string;
  body: string;
  signature: string;
}

function callouts(status = 200): { hooks: WebhookCallouts; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch = ((url: string, init: RequestInit) => {
    sent.push({
      url,
      body: init.body as string,
      signature: (init.headers as Record<string, string>)['X-Hook-Signature'] ?? '',
    });
    return Promise.resolve(new Response('', { status }));
  }) as unknown as typeof globalThis.fetch;
  return {
    hooks: new WebhookCallouts({ fetch, clock: new ManualClock(), logger: silentLogger, maxAttempts: 2 }),
    sent,
  };
}

const record = (values: Record<string, unknown>) => ({ id: 42, values: { id: 42, ...values }, udfs: {} });

describe('emulator webhook callouts', () => {
  it('posts the §10 shape, signed with HMAC-SHA1 over the escaped raw body', async () => {
    const { hooks, sent } = callouts();
    const hook = hooks.register({
      entity: 'Companies',
      webhookUrl: 'http://x/h',
      secretKey: 'k3y',
      displayAlwaysFields: ['companyName'],
    });
    hooks.notify(
      'Companies',
      'Update',
      record({ companyName: 'A & B <Zürich>', phone: '1' }),
      record({ companyName: 'A & B <Zürich>', phone: '2' }),
      7,
    );
    await hooks.idle();
    expect(sent).toHaveLength(1);
    const { body, signature } = sent[0]!;
    expect(body).toContain('A \\u0026 B \\u003cZ\\u00fcrich\\u003e');
    expect(signature).toBe(`sha1=${createHmac('sha1', 'k3y').update(body).digest('base64')}`);
    expect(verifyHookSignature('k3y', body, signature)).toBe(true);
    expect(JSON.parse(body)).toMatchObject({
      Action: 'Update',
      Guid: hook.webhookGUID,
      EntityType: 'Company',
      Id: 42,
      Fields: { phone: '2', companyName: 'A & B <Zürich>' },
      SequenceNumber: 1,
      PersonID: 7,
    });
    expect(autotaskCalloutJson({ s: "it's 1+1" })).toBe('{"s":"it\\u0027s 1\\u002b1"}');
  });

  it('calls out only for subscribed fields and events, and retries a failed delivery', async () => {
    const { hooks, sent } = callouts(500);
    hooks.register({
      entity: 'Contacts',
      webhookUrl: 'http://x/c',
      secretKey: 'k',
      subscribedFields: ['phone'],
    });
    hooks.notify('Contacts', 'Update', record({ title: 'a' }), record({ title: 'b' }), 1);
    hooks.notify('Contacts', 'Delete', record({}), undefined, 1);
    hooks.notify('Companies', 'Create', undefined, record({ phone: '1' }), 1);
    await hooks.idle();
    expect(sent).toHaveLength(0);
    hooks.notify('Contacts', 'Update', record({ phone: '1' }), record({ phone: '2' }), 1);
    await hooks.idle();
    expect(sent).toHaveLength(2); // two attempts, both refused
    expect(hooks.stats()).toEqual({ sent: 0, failed: 1 });
  });
});
