/** Permissions and the default roles (API.md §7.1). Tenants may edit the role map in settings. */
export const PERMISSIONS = [
  'ORDER_READ',
  'ORDER_IMPORT',
  'ORDER_WRITE',
  'ORDER_LINEITEM_WRITE',
  'ORDER_CUSTOM_ATTRIBUTES_WRITE',
  'ORDER_CONSUMER_WRITE',
  'ORDER_CANCEL',
  'ORDER_FORCE_CANCEL',
  'SHIPMENT_WRITE',
  'PROCESS_WRITE',
  'PROCESS_REROUTE',
  'ROUTING_WRITE',
  'FULFILMENT_WRITE',
  'CHANGE_APPROVE',
  'SELLER_WRITE',
  'BULK_WRITE',
  'SETTINGS_READ',
  'SETTINGS_WRITE',
  'WEBHOOK_WRITE',
  'KPI_READ',
  'SIMULATOR_WRITE',
  // Channel intake (INTAKE.md): sources, intake records, the catalogue and stock API.
  'SOURCE_ADMIN',
  'INTAKE_READ',
  'INTAKE_WRITE',
  'CATALOGUE_WRITE',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['agent', 'supervisor', 'picker', 'integration', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const AGENT: Permission[] = [
  'ORDER_READ',
  'ORDER_WRITE',
  'ORDER_LINEITEM_WRITE',
  'ORDER_CUSTOM_ATTRIBUTES_WRITE',
  'ORDER_CONSUMER_WRITE',
  'ORDER_CANCEL',
  'SHIPMENT_WRITE',
  'SETTINGS_READ',
];

export const DEFAULT_ROLE_PERMISSIONS: Record<Role, Permission[]> = {
  agent: AGENT,
  supervisor: [
    ...AGENT,
    'ORDER_FORCE_CANCEL',
    'PROCESS_WRITE',
    'PROCESS_REROUTE',
    'ROUTING_WRITE',
    'CHANGE_APPROVE',
    'BULK_WRITE',
    'KPI_READ',
    'INTAKE_READ',
  ],
  picker: ['ORDER_READ', 'ORDER_LINEITEM_WRITE', 'FULFILMENT_WRITE', 'SETTINGS_READ'],
  integration: PERMISSIONS.filter(
    (p) =>
      p !== 'CHANGE_APPROVE' &&
      p !== 'SETTINGS_WRITE' &&
      p !== 'SIMULATOR_WRITE' &&
      p !== 'SOURCE_ADMIN',
  ),
  admin: [...PERMISSIONS],
};

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}
