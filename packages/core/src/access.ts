/** Roles a person (or an API key) acts in. */
export type Role =
  'platform_operator' | 'enterprise_admin' | 'enterprise_operator' | 'distributor_user' | 'regulator';

/** Every role, for validation and menus. */
export const roles: readonly Role[] = Object.freeze([
  'platform_operator',
  'enterprise_admin',
  'enterprise_operator',
  'distributor_user',
  'regulator',
]);

/** Roles that belong to an enterprise (they carry a tenant). */
export const enterpriseRoles: readonly Role[] = Object.freeze([
  'enterprise_admin',
  'enterprise_operator',
  'distributor_user',
]);

/** Things a route may require. Scope (which enterprise) is checked separately, by the resource. */
export type Permission =
  /** See your own account, change your password, log out. */
  | 'account.self'
  /** Read enterprise profiles and documents (scoped: own, jurisdiction, or all for operators). */
  | 'enterprise.read'
  /** Edit the own enterprise's profile, upload documents, submit for review. */
  | 'enterprise.edit'
  /** Approve or reject applications; see documents near expiry platform-wide. */
  | 'enterprise.review'
  /** Read products and batches of the own enterprise. */
  | 'product.read'
  /** Create, edit and archive products and batches. */
  | 'product.write'
  /** Manage the people of one's enterprise, or (operators) platform accounts and regulators. */
  | 'users.manage'
  /** Create and revoke the enterprise's API keys. */
  | 'apikeys.manage'
  /** Read the audit log (own enterprise, or everything for operators). */
  | 'audit.read'
  /** Create and retire the enterprise's code spaces (码段). */
  | 'codes.manage'
  /** Issue codes (generation jobs), export them and print labels. */
  | 'codes.issue'
  /** Activate codes for batches and pack, unpack or replace them (line-side). */
  | 'codes.activate'
  /** Read the enterprise's consumer queries (scans), their statistics and counterfeit reports. */
  | 'scans.read'
  /** Edit the scan-page settings and handle counterfeit reports. */
  | 'scans.configure'
  /** See and acknowledge platform alerts (enumeration attempts and the like). */
  | 'platform.alerts'
  /** Supervision figures of the enterprises in one's scope (the jurisdiction, or all for operators). */
  | 'supervision.read'
  /** Capture EPCIS events of the own enterprise (/epcis/capture, /epcis/events). */
  | 'events.capture'
  /** Query the own enterprise's EPCIS events (and those shared with the caller), named queries and subscriptions. */
  | 'events.read';

/** Every permission, in a stable order (for menus and the `me` answer). */
export const permissions: readonly Permission[] = Object.freeze([
  'account.self',
  'enterprise.read',
  'enterprise.edit',
  'enterprise.review',
  'product.read',
  'product.write',
  'users.manage',
  'apikeys.manage',
  'audit.read',
  'codes.manage',
  'codes.issue',
  'codes.activate',
  'scans.read',
  'scans.configure',
  'platform.alerts',
  'events.capture',
  'events.read',
  'supervision.read',
] as const);

const grants: Readonly<Record<Role, readonly Permission[]>> = Object.freeze({
  platform_operator: [
    'account.self',
    'enterprise.read',
    'enterprise.review',
    'users.manage',
    'audit.read',
    'platform.alerts',
    'supervision.read',
  ],
  enterprise_admin: [
    'account.self',
    'enterprise.read',
    'enterprise.edit',
    'product.read',
    'product.write',
    'users.manage',
    'apikeys.manage',
    'audit.read',
    'codes.manage',
    'codes.issue',
    'codes.activate',
    'scans.read',
    'scans.configure',
    'events.capture',
    'events.read',
  ],
  enterprise_operator: [
    'account.self',
    'enterprise.read',
    'product.read',
    'product.write',
    'codes.issue',
    'codes.activate',
    'scans.read',
    'events.capture',
    'events.read',
  ],
  distributor_user: ['account.self', 'enterprise.read', 'product.read', 'events.capture', 'events.read'],
  // events.read: only the events enterprises shared with the regulator's jurisdiction (adr/0007).
  regulator: ['account.self', 'enterprise.read', 'supervision.read', 'events.read'],
});

/**
 * Whether a role holds a permission. This table is the single source of what each role may
 * do; the server checks it in one hook before any handler runs.
 */
export function can(role: Role, permission: Permission): boolean {
  return grants[role].includes(permission);
}

/** Roles an actor may hand out when creating or editing users. */
export function assignableRoles(role: Role): readonly Role[] {
  switch (role) {
    case 'platform_operator':
      return ['platform_operator', 'regulator'];
    case 'enterprise_admin':
      return enterpriseRoles;
    default:
      return [];
  }
}
