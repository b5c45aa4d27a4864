import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  migrate,
  MigrationChangedError,
  pendingMigrations,
  readMigrations,
} from '../../src/db/migrate.js';
import { freshDatabase, type TestDatabase } from '../support/db.js';
import { ENGINES } from '../support/engines.js';
import { seedFixture } from '../support/fixture.js';

describe.each(ENGINES)('storage on %s', (engine) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await freshDatabase(engine);
    await seedFixture(database.db);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('has every migration applied, and re-running applies nothing', async () => {
    expect(await pendingMigrations(database.db)).toEqual([]);
    expect(await migrate(database.db)).toEqual([]);
  });

  it('refuses to start when an applied migration file changed', async () => {
    const files = readMigrations().map((f, i) => (i === 0 ? { ...f, checksum: 'tampered' } : f));
    await expect(migrate(database.db, files)).rejects.toBeInstanceOf(MigrationChangedError);
  });

  it('parses int8 to a number and date to YYYY-MM-DD, the same on both engines', async () => {
    const { rows } = await sql<{ big: unknown; day: unknown; money: unknown }>`
      SELECT 9007199254740991::int8 AS big, '2026-03-01'::date AS day, unit_price AS money FROM products WHERE tenant_id = 't1' AND sku = 'CHEESE'`.execute(
      database.db,
    );
    expect(rows[0]).toEqual({ big: 9007199254740991, day: '2026-03-01', money: 1299 });
  });

  it('keeps audit entries append-only: UPDATE and DELETE are refused', async () => {
    await sql`INSERT INTO orders (tenant_id, id, channel, channel_order_ref, origin, status, currency, customer, shipping_address,
      total_items, total_discounts, total_increments, total_shipping, total_tax, grand_total)
      VALUES ('t1', 'o-audit', 'web', 'audit-1', 'direct', 'payment-approved', 'EUR', '{}', '{}', 0, 0, 0, 0, 0, 0)`.execute(
      database.db,
    );
    await database.db
      .insertInto('audit_entries')
      .values({
        tenant_id: 't1',
        order_id: 'o-audit',
        change_id: 'chg-1',
        ticket: 'MOD-1',
        actor_id: 'u',
        actor_role: 'agent',
        app: 'api',
        at: new Date().toISOString(),
        path: 'carrier',
        old_value: JSON.stringify('DHL'),
        new_value: JSON.stringify('DPD'),
        reason_code: 'CUSTOMER_REQUEST',
      })
      .execute();
    await expect(
      database.db
        .updateTable('audit_entries')
        .set({ path: 'x' })
        .where('order_id', '=', 'o-audit')
        .execute(),
    ).rejects.toThrow(/append-only/);
    await expect(
      database.db.deleteFrom('audit_entries').where('order_id', '=', 'o-audit').execute(),
    ).rejects.toThrow(/append-only/);
    const kept = await database.db
      .selectFrom('audit_entries')
      .select('path')
      .where('order_id', '=', 'o-audit')
      .execute();
    expect(kept).toEqual([{ path: 'carrier' }]);
  });

  it('never lets stock be reserved beyond what is on hand', async () => {
    await expect(
      database.db
        .updateTable('stock')
        .set({ reserved: 11 })
        .where('tenant_id', '=', 't1')
        .where('facility_id', '=', 'berlin')
        .where('sku', '=', 'APPLE')
        .execute(),
    ).rejects.toThrow();
  });
});
