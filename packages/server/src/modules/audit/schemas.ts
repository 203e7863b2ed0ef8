import { Type } from 'typebox';
import { Id, PageQuery, Timestamp } from '../../lib/schemas.js';

/** One audit entry. */
export const AuditEntry = Type.Object({
  id: Id,
  enterpriseId: Type.Union([Type.String(), Type.Null()]),
  at: Timestamp,
  actorType: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.String(),
  action: Type.String(),
  targetType: Type.String(),
  targetId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  requestId: Type.Union([Type.String(), Type.Null()]),
});

/** Filters for the audit log. */
export const AuditQuery = Type.Object(
  {
    page: PageQuery.properties.page,
    pageSize: PageQuery.properties.pageSize,
    action: Type.Optional(Type.String({ maxLength: 100 })),
    actorId: Type.Optional(Type.String({ maxLength: 100 })),
    actor: Type.Optional(
      Type.String({
        maxLength: 100,
        description: "Part of the actor's name (username or API key name), case-insensitive.",
      }),
    ),
    targetId: Type.Optional(Type.String({ maxLength: 100 })),
    enterpriseId: Type.Optional(Id),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false },
);
