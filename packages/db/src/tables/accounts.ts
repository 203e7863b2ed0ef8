import type { Role } from '@tracemark/core';

/** `users`: people who log in. Platform operators and regulators have no enterprise. */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  email: string | null;
  phone: string | null;
  password_hash: string;
  role: Role;
  /** The enterprise (tenant) this person works for; null for operators and regulators. */
  tenant_id: string | null;
  /** GB/T 2260 region code of a regulator's jurisdiction; null for everyone else. */
  jurisdiction: string | null;
  status: 'active' | 'disabled';
  must_change_password: number;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
}

/** `sessions`: a login. The cookie carries a random token; only its SHA-256 is stored. */
export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_hash: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  ip: string | null;
  user_agent: string | null;
}

/** `api_keys`: machine credentials scoped to one enterprise; the secret is stored hashed. */
export interface ApiKeysTable {
  tenant_id: string;
  id: string;
  name: string;
  /** First characters of the key, shown in lists so people can tell keys apart. */
  prefix: string;
  secret_hash: string;
  role: Role;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
  revoked_by: string | null;
}

/** `audit_log`: every change made by a person or key — who, what, when. Append-only. */
export interface AuditLogTable {
  id: string;
  /** The enterprise the change concerns; null for platform-level changes. */
  tenant_id: string | null;
  at: number;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string | null;
  /** JSON text: the fields that changed, never secrets. */
  details: string;
  request_id: string | null;
  ip: string | null;
}
