import { Type } from 'typebox';
import { User } from '../users/schemas.js';

/** Logging in. */
export const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

/** The enterprise a user works for, in brief. */
export const EnterpriseBrief = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.String(),
});

/** Who is logged in. */
export const Me = Type.Object({
  user: User,
  enterprise: Type.Union([EnterpriseBrief, Type.Null()]),
  permissions: Type.Array(Type.String()),
});

/** A new session: the user plus the CSRF token to send as X-CSRF-Token on changes. */
export const LoginResult = Type.Object({
  ...Me.properties,
  csrfToken: Type.String({ description: 'Send as the X-CSRF-Token header on POST/PUT/PATCH/DELETE.' }),
});

/** Changing one's own password. */
export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
    newPassword: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);
