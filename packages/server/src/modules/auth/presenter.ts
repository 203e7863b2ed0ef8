import { can, type Permission } from '@tracemark/core';
import type { EnterpriseRow, UserRow } from '@tracemark/db';
import { presentUser } from '../users/presenter.js';

const allPermissions: readonly Permission[] = [
  'account.self',
  'enterprise.read',
  'enterprise.edit',
  'enterprise.review',
  'product.read',
  'product.write',
  'users.manage',
  'apikeys.manage',
  'audit.read',
];

/** The logged-in user, their enterprise and what they may do (the console builds its menu from it). */
export function presentMe(user: UserRow, enterprise: EnterpriseRow | undefined) {
  return {
    user: presentUser(user),
    enterprise:
      enterprise === undefined
        ? null
        : { id: enterprise.id, name: enterprise.name, status: enterprise.status },
    permissions: allPermissions.filter((p) => can(user.role, p)),
  };
}
