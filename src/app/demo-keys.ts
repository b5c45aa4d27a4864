import type { Role } from '../domain/permissions.js';

/** The fixed demo keys (API.md §1): they exist only while demo mode is on. */
export const DEMO_KEYS: {
  key: string;
  role: Role;
  tenant: string;
  userId: string;
  name: string;
}[] = [
  { key: 'demo-agent', role: 'agent', tenant: 'demo', userId: 'usr_demo_agent', name: 'Ada Agent' },
  {
    key: 'demo-supervisor',
    role: 'supervisor',
    tenant: 'demo',
    userId: 'usr_demo_supervisor',
    name: 'Sam Supervisor',
  },
  {
    key: 'demo-picker',
    role: 'picker',
    tenant: 'demo',
    userId: 'usr_demo_picker',
    name: 'Pia Picker',
  },
  {
    key: 'demo-integration',
    role: 'integration',
    tenant: 'demo',
    userId: 'usr_demo_integration',
    name: 'Shop Integration',
  },
  {
    key: 'demo-admin',
    role: 'admin',
    tenant: 'demo',
    userId: 'usr_demo_admin',
    name: 'Alex Admin',
  },
  {
    key: 'other-admin',
    role: 'admin',
    tenant: 'other',
    userId: 'usr_other_admin',
    name: 'Olga Admin',
  },
];
