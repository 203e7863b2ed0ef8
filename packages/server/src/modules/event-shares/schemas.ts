import { Type } from 'typebox';
import { Id, Timestamp } from '../../lib/schemas.js';

/** Who a share is for: another enterprise, or the regulators of one jurisdiction. */
export const Grantee = Type.Union([
  Type.Object(
    { type: Type.Literal('enterprise'), enterpriseId: Id },
    { additionalProperties: false, description: 'Another enterprise (a trading partner).' },
  ),
  Type.Object(
    {
      type: Type.Literal('regulator'),
      jurisdiction: Type.String({ pattern: '^\\d{6}$', description: 'GB/T 2260 region code.' }),
    },
    {
      additionalProperties: false,
      description: 'Every regulator account whose jurisdiction is exactly this region code.',
    },
  ),
]);

export const CreateShareBody = Type.Object(
  {
    grantee: Grantee,
    bizSteps: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 500 }), {
        minItems: 1,
        maxItems: 50,
        description: 'Only events of these business steps (CBV words or URIs); all events when left out.',
      }),
    ),
    from: Type.Optional({ ...Timestamp, description: 'Only events whose eventTime is at or after this.' }),
    to: Type.Optional({ ...Timestamp, description: 'Only events whose eventTime is before this.' }),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

export const ShareParams = Type.Object({ shareId: Id });

export const ShareListQuery = Type.Object(
  {
    direction: Type.Optional(
      Type.Union([Type.Literal('given'), Type.Literal('received')], {
        description: 'given: the shares your enterprise made (default); received: those in force for you.',
      }),
    ),
  },
  { additionalProperties: false },
);

/** An event share on the wire. */
export const EventShare = Type.Object({
  id: Type.String(),
  ownerEnterpriseId: Type.String(),
  ownerName: Type.Union([Type.String(), Type.Null()]),
  grantee: Type.Object({
    type: Type.Union([Type.Literal('enterprise'), Type.Literal('regulator')]),
    id: Type.String({ description: 'The enterprise id, or the jurisdiction of the regulators.' }),
    name: Type.Union([Type.String(), Type.Null()], { description: "The enterprise's name." }),
  }),
  bizSteps: Type.Union([Type.Array(Type.String()), Type.Null()]),
  from: Type.Union([Timestamp, Type.Null()]),
  to: Type.Union([Timestamp, Type.Null()]),
  note: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  createdBy: Type.String(),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  revokedBy: Type.Union([Type.String(), Type.Null()]),
});
