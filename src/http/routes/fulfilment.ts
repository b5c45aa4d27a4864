/** Fulfilment moves (API.md §3, §7.6). */
import type { Deps } from '../../app/deps.js';
import type { AppInstance } from '../types.js';

export async function fulfilmentRoutes(_app: AppInstance, _deps: Deps): Promise<void> {}
