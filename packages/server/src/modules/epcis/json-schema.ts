import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/** Where the GS1 artefacts live (`packages/server/data/epcis/`, the same from `src/` and `dist/`). */
export const epcisDataDir = new URL('../../../data/epcis/', import.meta.url);

let validator: ValidateFunction | undefined;

/**
 * GS1's EPCIS 2.0 JSON Schema (EPCISDocument, EPCISQueryDocument or a single event with its
 * `@context`), read from disk and compiled once on first use — never fetched.
 */
function compiled(): ValidateFunction {
  if (validator === undefined) {
    const schema = JSON.parse(
      readFileSync(new URL('EPCIS-JSON-Schema.json', epcisDataDir), 'utf8'),
    ) as object;
    // Stops at the first error: invalid documents are refused whole, and speed matters more
    // than a complete list on the capture path.
    const ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    validator = ajv.compile(schema);
  }
  return validator;
}

/** One schema violation: where (JSON pointer) and what. */
export interface SchemaProblem {
  readonly field: string;
  readonly message: string;
}

/** Checks a parsed document or event against the GS1 schema; the problems, or none. */
export function schemaProblems(value: unknown): SchemaProblem[] {
  const validate = compiled();
  if (validate(value)) return [];
  return (validate.errors ?? []).slice(0, 20).map((e: ErrorObject) => ({
    field: e.instancePath === '' ? '/' : e.instancePath,
    message: `${e.message ?? 'is invalid'}${Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : ''}`,
  }));
}

/** The JSON-LD context of EPCIS 2.0 as GS1 publishes it (served at /epcis/context/…). */
export function epcisContextText(): string {
  context ??= readFileSync(new URL('epcis-context.jsonld', epcisDataDir), 'utf8');
  return context;
}
let context: string | undefined;
