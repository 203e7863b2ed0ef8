import { Type } from 'typebox';
import { Id, Timestamp } from '../../lib/schemas.js';

/** An API key as listed: never the secret. */
export const ApiKey = Type.Object({
  id: Id,
  name: Type.String(),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart.' }),
  role: Type.String(),
  createdAt: Timestamp,
  createdBy: Type.String(),
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
});

/** A key just created: the only time the secret is shown. */
export const CreatedApiKey = Type.Object({
  ...ApiKey.properties,
  key: Type.String({
    description: 'The full key. Shown once; store it now. Send as `Authorization: Bearer <key>`.',
  }),
});

/** Creating a key. */
export const CreateApiKeyBody = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'What the key is for, e.g. "MES line 3".',
    }),
    role: Type.Optional(
      Type.Union([Type.Literal('enterprise_operator'), Type.Literal('distributor_user')], {
        description: 'What the key may do; default enterprise_operator.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** The key id in a path. */
export const ApiKeyParams = Type.Object({ keyId: Id });
