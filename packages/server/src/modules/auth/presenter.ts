import { can, permissions } from '@tracemark/core';
import type { EnterpriseRow, UserRow } from '@tracemark/db';
import { presentUser } from '../users/presenter.js';

/** The logged-in user, their enterprise and what they may do (the console builds its menu from it). */
export function presentMe(user: UserRow, enterprise: EnterpriseRow | undefined) {
  return {
    user: presentUser(user),
    enterprise:
      enterprise === undefined
        ? null
        : { id: enterprise.id, name: enterprise.name, status: enterprise.status },
    permissions: permissions.filter((p) => can(user.role, p)),
  };
}
