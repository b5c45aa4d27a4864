import type { Deps } from '../deps.js';

/** Orders of the demo tenants in every status, origin and payment method; returns how many. */
export async function seedDemoOrders(_deps: Deps): Promise<number> { return 0; }
