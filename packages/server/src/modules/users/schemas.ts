import { Type } from 'typebox';
import { Id, PageQuery, Timestamp } from '../../lib/schemas.js';

/** Roles as a schema. */
export const RoleSchema = Type.Union(
  [
    Type.Literal('platform_operator'),
    Type.Literal('enterprise_admin'),
    Type.Literal('enterprise_operator'),
    Type.Literal('distributor_user'),
    Type.Literal('regulator'),
  ],
  { description: 'platform_operator, enterprise_admin, enterprise_operator, distributor_user or regulator.' },
);

/** A username: lower-case letters, digits, dot, dash, underscore; 3–64 characters. */
export const Username = Type.String({
  pattern: '^[A-Za-z0-9._-]{3,64}$',
  description: '3–64 letters, digits, . _ -',
});

/** A user as the API shows it. */
export const User = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  role: RoleSchema,
  enterpriseId: Type.Union([Id, Type.Null()]),
  jurisdiction: Type.Union([Type.String(), Type.Null()]),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  mustChangePassword: Type.Boolean(),
  createdAt: Timestamp,
  lastLoginAt: Type.Union([Timestamp, Type.Null()]),
});

/** Creating a user. */
export const CreateUserBody = Type.Object(
  {
    username: Username,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'Initial password; the user must change it at first login.',
    }),
    role: RoleSchema,
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    phone: Type.Optional(Type.String({ pattern: '^[0-9+() -]{5,30}$' })),
    jurisdiction: Type.Optional(
      Type.String({ pattern: '^\\d{6}$', description: 'GB/T 2260 region code; regulators only.' }),
    ),
  },
  { additionalProperties: false },
);

/** Editing a user. */
export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    role: Type.Optional(RoleSchema),
    status: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('disabled')])),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 200 }), Type.Null()])),
    phone: Type.Optional(Type.Union([Type.String({ pattern: '^[0-9+() -]{5,30}$' }), Type.Null()])),
    jurisdiction: Type.Optional(Type.String({ pattern: '^\\d{6}$' })),
    password: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Reset the password; the user must change it at next login.',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

/** Listing users. */
export const ListUsersQuery = Type.Object(
  { ...PageQuery.properties, role: Type.Optional(RoleSchema) },
  { additionalProperties: false },
);

/** The user id in a path. */
export const UserParams = Type.Object({ userId: Id });
