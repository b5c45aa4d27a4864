import { describe, expect, it } from 'vitest';
import { hashKey } from '../../src/app/identity.js';
import { insertUserWithKey } from '../../src/db/reference-writes.js';
import { loadConfig } from '../../src/config.js';
import { auth, createTestContext } from '../support/app.js';

describe('demo mode', () => {
  it('is on for the embedded store and off with DATABASE_URL unless asked for', () => {
    expect(loadConfig({}).demoMode).toBe(true);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y' }).demoMode).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgres://x/y', AMEND_DEMO: '1' }).demoMode).toBe(true);
    expect(loadConfig({ AMEND_DEMO: 'off' }).demoMode).toBe(false);
  });

  it('lists the demo keys and accepts them only while it is on', { timeout: 120_000 }, async () => {
    for (const demoMode of [true, false]) {
      const ctx = await createTestContext('pglite', { demoMode });
      try {
        await insertUserWithKey(ctx.deps.db, {
          tenantId: 't1',
          userId: 'u-demo',
          name: 'demo',
          role: 'agent',
          keyHash: hashKey('demo-agent'),
          demo: true,
        });
        const keys = await ctx.app.inject({ url: '/v1/demo/keys' });
        const me = await ctx.app.inject({ url: '/v1/me', headers: auth('demo-agent') });
        if (demoMode) {
          expect(keys.json().items).toContainEqual({
            key: 'demo-agent',
            role: 'agent',
            tenant: 'demo',
            name: 'Ada Agent',
            userId: 'usr_demo_agent',
          });
          expect(me.json()).toMatchObject({ actorId: 'u-demo', role: 'agent' });
        } else {
          expect(keys.statusCode).toBe(404);
          expect(me.statusCode).toBe(401);
        }
      } finally {
        await ctx.close();
      }
    }
  });
});
