import { Type, type TSchema, type Static } from 'typebox';

/** An id in a path or body: a UUID. */
export const Id = Type.String({ format: 'uuid', description: 'Identifier (UUID).' });

/** An ISO calendar date. */
export const IsoDate = Type.String({
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  description: 'Date, YYYY-MM-DD.',
  examples: ['2026-11-27'],
});

/** Epoch milliseconds. */
export const Timestamp = Type.Integer({ description: 'Milliseconds since 1970-01-01 UTC.' });

/** Paging and free-text search of a list. */
export const PageQuery = Type.Object(
  {
    page: Type.Integer({ minimum: 1, maximum: 1_000_000, default: 1 }),
    pageSize: Type.Integer({ minimum: 1, maximum: 200, default: 20 }),
    q: Type.Optional(Type.String({ maxLength: 100, description: 'Text to search for.' })),
  },
  { additionalProperties: false },
);

/** A page of a list: the items plus what a pager needs. */
export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    page: Type.Integer(),
    pageSize: Type.Integer(),
  });
}

/** The one error body, as documented in docs/errors.md. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable code from the catalogue, TRACE_<AREA>_<WHAT>.' }),
      message: Type.String(),
      statusCode: Type.Integer(),
      requestId: Type.String(),
      details: Type.Optional(
        Type.Array(
          Type.Object({
            field: Type.String(),
            message: Type.String(),
            row: Type.Optional(Type.Integer({ description: 'Import row (1 = first after the header).' })),
            column: Type.Optional(Type.String({ description: 'Import column at fault.' })),
            code: Type.Optional(Type.String({ description: "Catalogue code of the row's problem." })),
          }),
        ),
      ),
    }),
  },
  { description: 'Every error has this body (codes in docs/errors.md).' },
);

/** Standard error responses to list in a route's schema (besides its success). */
export const errorResponses = {
  '4xx': ErrorResponse,
} as const;

/** An empty success. */
export const Ok = Type.Object({ ok: Type.Literal(true) });

/** Helper type: the static type of a schema. */
export type StaticOf<T extends TSchema> = Static<T>;
