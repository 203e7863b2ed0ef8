import type { Role } from '@tracemark/core';

/** Who is making a request: a person through a session, or a machine through an API key. */
export type Actor =
  | {
      readonly type: 'user';
      readonly id: string;
      readonly name: string;
      readonly role: Role;
      readonly tenantId: string | null;
      readonly jurisdiction: string | null;
      /** SHA-256 of the session token, to end this session on logout. */
      readonly sessionIdHash: string;
    }
  | {
      readonly type: 'api_key';
      readonly id: string;
      readonly name: string;
      readonly role: Role;
      readonly tenantId: string;
      readonly jurisdiction: null;
    };
