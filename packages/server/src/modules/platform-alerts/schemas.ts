import { Type } from 'typebox';
import { Id, PageQuery, Timestamp } from '../../lib/schemas.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const Status = Type.Union([Type.Literal('open'), Type.Literal('acknowledged')]);

/** Something the platform operator should look at; repeats add to one open alert. */
export const PlatformAlert = Type.Object({
  id: Id,
  kind: Type.Union([Type.Literal('invalid_lookups_network'), Type.Literal('invalid_lookups_rate')], {
    description:
      'invalid_lookups_network: one network (IPv4 /24, IPv6 /48) was blocked for too many invalid code lookups; ' +
      'invalid_lookups_rate: the platform-wide rate of invalid lookups rose well above its recent average.',
  }),
  subject: Type.String({ description: "The network, or 'platform' for the rate." }),
  details: Type.Record(Type.String(), Type.Unknown(), {
    description: 'The figures that raised it, last time.',
  }),
  count: Type.Integer({ description: 'How many times it was raised while open.' }),
  status: Status,
  firstAt: Timestamp,
  lastAt: Timestamp,
  acknowledgedBy: Nullable(Type.String({ description: 'Id of the operator who acknowledged it.' })),
  acknowledgedByName: Nullable(
    Type.String({ description: 'Display name of the operator who acknowledged it.' }),
  ),
  acknowledgedAt: Nullable(Timestamp),
});

/** Filters for the list of alerts. */
export const ListAlertsQuery = Type.Object(
  {
    page: PageQuery.properties.page,
    pageSize: PageQuery.properties.pageSize,
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);

/** An alert id in a path. */
export const AlertParams = Type.Object({ alertId: Id });
