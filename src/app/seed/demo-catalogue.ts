import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';

/** Products, facilities, stock and promotions of the demo tenants. */
export async function seedDemoCatalogue(_tx: Kysely<DB>): Promise<void> {}
