import type { UserRow } from '@tracemark/db';

/** A user on the wire: never the password hash. */
export function presentUser(u: UserRow) {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    email: u.email,
    phone: u.phone,
    role: u.role,
    enterpriseId: u.tenant_id,
    jurisdiction: u.jurisdiction,
    status: u.status,
    mustChangePassword: u.must_change_password === 1,
    createdAt: u.created_at,
    lastLoginAt: u.last_login_at,
  };
}
