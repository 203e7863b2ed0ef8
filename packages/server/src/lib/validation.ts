import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

/**
 * Two validators: query strings, params and headers arrive as text and are coerced to the
 * schema's types ("page=2" → 2); JSON bodies are checked strictly — no coercion, no silently
 * dropped fields — so a wrong type or an unknown field is a clear 400, never a guess.
 */
export function installValidation(app: FastifyInstance): void {
  const common: Options = { allErrors: true, useDefaults: true, removeAdditional: false, strict: false };
  const loose = new Ajv({ ...common, coerceTypes: 'array' });
  const strict = new Ajv({ ...common, coerceTypes: false });
  for (const ajv of [loose, strict]) {
    (addFormats as unknown as (a: Ajv) => void)(ajv);
  }
  app.setValidatorCompiler(({ schema, httpPart }) => {
    const ajv = httpPart === 'body' ? strict : loose;
    return ajv.compile(schema as object);
  });
}
